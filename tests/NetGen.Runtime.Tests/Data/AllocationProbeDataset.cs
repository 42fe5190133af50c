using System;
using System.Collections.Generic;
using NetGen.Data;

namespace NetGen.Runtime.Tests.Data;

/// <summary>
/// A dataset that allocates nothing itself and notes the reading thread's allocated-bytes
/// counter at sample <see cref="ProbeFrom"/> and at every later read. Meant for a single
/// worker reading in index order, so one thread makes all the reads.
/// </summary>
internal sealed class AllocationProbeDataset(int count, int sampleSize) : IDataset
{
    private long _atProbe;
    private long _latest;

    public int Count => count;

    public IReadOnlyList<int> SampleShape => [sampleSize];

    public int ClassCount => 2;

    /// <summary>The sample from which allocations are counted (after the loader has warmed up).</summary>
    public required int ProbeFrom { get; init; }

    /// <summary>Bytes the reading thread allocated between sample <see cref="ProbeFrom"/> and the last sample.</summary>
    public long AllocatedSinceProbe => _latest - _atProbe;

    public int Read(int index, Span<float> input, ulong augmentationSeed)
    {
        _latest = GC.GetAllocatedBytesForCurrentThread();
        if (index == ProbeFrom)
        {
            _atProbe = _latest;
        }

        input.Fill(index);
        return index & 1;
    }
}
