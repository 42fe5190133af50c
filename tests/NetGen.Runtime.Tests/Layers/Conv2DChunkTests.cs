using System;
using Xunit;

namespace NetGen.Runtime.Tests.Layers;

/// <summary>
/// Conv2D shares one product among a chunk of samples; a batch too large for one chunk of columns
/// must give what the samples give one at a time.
/// </summary>
public sealed class Conv2DChunkTests
{
    // 27 × 3,844 columns per sample: a batch of 23 is three sample groups (8, 8 and 7), one product each.
    private static readonly WindowGeometry Geometry = new(3, 64, 64, 3, 1, 0);
    private const int Batch = 23;
    private const int Filters = 8;

    [Fact]
    public void ChunkedForwardMatchesOneSampleAtATime()
    {
        var g = Geometry;
        var (x, weight, bias) = Inputs(g);
        var outputSize = Filters * g.OutputPlane;
        var y = new float[Batch * outputSize];

        Conv2D.Forward<float>(x, weight, bias, y, default, Batch, g, Filters, Activation.ReLU);

        var single = new float[outputSize];
        for (var b = 0; b < Batch; b++)
        {
            Conv2D.Forward<float>(x.AsSpan(b * g.InputSize, g.InputSize), weight, bias, single, default, 1, g, Filters, Activation.ReLU);
            AssertClose(single, y.AsSpan(b * outputSize, outputSize), $"sample {b}");
        }
    }

    [Fact]
    public void ChunkedBackwardMatchesOneSampleAtATime()
    {
        var g = Geometry;
        var (x, weight, _) = Inputs(g);
        var outputSize = Filters * g.OutputPlane;
        var dz = Random(Batch * outputSize, new SeededRandom(5));
        var saved = Random(Batch * g.InputSize, new SeededRandom(6));
        var weightGradient = new float[weight.Length];
        var biasGradient = new float[Filters];
        var dx = new float[Batch * g.InputSize];

        Conv2D.Backward<float>(dz, x, weight, weightGradient, biasGradient, dx, Batch, g, Filters, Activation.ReLU, saved);

        var expectedWeight = new double[weight.Length];
        var expectedBias = new double[Filters];
        var sampleWeight = new float[weight.Length];
        var sampleBias = new float[Filters];
        var sampleDx = new float[g.InputSize];
        for (var b = 0; b < Batch; b++)
        {
            Conv2D.Backward<float>(dz.AsSpan(b * outputSize, outputSize), x.AsSpan(b * g.InputSize, g.InputSize), weight, sampleWeight, sampleBias, sampleDx, 1, g, Filters, Activation.ReLU, saved.AsSpan(b * g.InputSize, g.InputSize));
            AssertClose(sampleDx, dx.AsSpan(b * g.InputSize, g.InputSize), $"dx of sample {b}");
            for (var i = 0; i < weight.Length; i++)
            {
                expectedWeight[i] += sampleWeight[i];
            }

            for (var f = 0; f < Filters; f++)
            {
                expectedBias[f] += sampleBias[f];
            }
        }

        AssertClose(Array.ConvertAll(expectedWeight, v => (float)v), weightGradient, "weight gradient");
        AssertClose(Array.ConvertAll(expectedBias, v => (float)v), biasGradient, "bias gradient");
    }

    private static (float[] X, float[] Weight, float[] Bias) Inputs(WindowGeometry g)
    {
        var random = new SeededRandom(4);
        return (Random(Batch * g.InputSize, random), Random(Filters * g.PatchSize, random), Random(Filters, random));
    }

    private static float[] Random(int length, SeededRandom random)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (random.NextSingle() * 2) - 1;
        }

        return values;
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-3f * (1 + Math.Abs(expected[i])), $"{what}[{i}] = {actual[i]}, expected {expected[i]}");
        }
    }
}
