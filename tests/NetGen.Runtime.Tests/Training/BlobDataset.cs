using System;
using System.Collections.Generic;
using NetGen.Data;

namespace NetGen.Runtime.Tests.Training;

/// <summary>
/// Gaussian blobs, one per class, around centres a few standard deviations apart; every sample is
/// fixed by the seed, so reads are thread-safe and runs reproducible. <paramref name="nanSample"/>
/// gets NaN features, to make a training step diverge on purpose.
/// </summary>
internal sealed class BlobDataset(int count, int classes, int features, ulong seed, float spread = 1f, int nanSample = -1) : IDataset
{
    private readonly (float[] Features, int Label)[] samples = Generate(count, classes, features, seed, spread, nanSample);

    public int Count => count;

    public IReadOnlyList<int> SampleShape => [features];

    public int ClassCount => classes;

    public int Read(int index, Span<float> input, ulong augmentationSeed)
    {
        samples[index].Features.CopyTo(input);
        return samples[index].Label;
    }

    private static (float[], int)[] Generate(int count, int classes, int features, ulong seed, float spread, int nanSample)
    {
        var random = new SeededRandom(seed);
        var result = new (float[], int)[count];
        for (var i = 0; i < count; i++)
        {
            var label = i % classes;
            var x = new float[features];
            for (var f = 0; f < features; f++)
            {
                var centre = f % classes == label ? 3f : 0f;
                x[f] = i == nanSample ? float.NaN : centre + (spread * (float)random.NextNormal());
            }

            result[i] = (x, label);
        }

        return result;
    }
}
