using System;
using System.Collections.Generic;
using System.Threading;
using NetGen.Data;

namespace NetGen.Runtime.Tests.Data;

/// <summary>
/// A dataset whose sample i is [i, then floats drawn from the augmentation seed] with label
/// i mod classes, so a batch shows which samples it holds and which seeds made them. It tracks
/// the highest index read, and can fail on one index.
/// </summary>
internal sealed class SyntheticDataset(int count, int sampleSize = 4, int classCount = 10) : IDataset
{
    private int _highestRead = -1;
    private int _reads;

    public int Count => count;

    public IReadOnlyList<int> SampleShape => [sampleSize];

    public int ClassCount => classCount;

    /// <summary>Reading this index throws <see cref="Failure"/>.</summary>
    public int? FailAt { get; init; }

    public Exception Failure { get; } = new FormatException("sample 7 is corrupt");

    /// <summary>Returned as the label instead of i mod classes, when set.</summary>
    public int? LabelOverride { get; init; }

    public int HighestRead => Volatile.Read(ref _highestRead);

    public int Reads => Volatile.Read(ref _reads);

    public int Read(int index, Span<float> input, ulong augmentationSeed)
    {
        Interlocked.Increment(ref _reads);
        if (index == FailAt)
        {
            throw Failure;
        }

        int seen;
        while ((seen = Volatile.Read(ref _highestRead)) < index && Interlocked.CompareExchange(ref _highestRead, index, seen) != seen)
        {
        }

        Fill(index, input, augmentationSeed);
        return LabelOverride ?? index % classCount;
    }

    /// <summary>What <see cref="Read"/> writes for <paramref name="index"/> under <paramref name="augmentationSeed"/>.</summary>
    public static void Fill(int index, Span<float> input, ulong augmentationSeed)
    {
        input[0] = index;
        var random = new SeededRandom(augmentationSeed);
        for (var i = 1; i < input.Length; i++)
        {
            input[i] = random.NextSingle();
        }
    }
}
