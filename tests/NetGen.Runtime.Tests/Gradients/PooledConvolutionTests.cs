using System;
using System.Numerics;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// A ReLU convolution with its max pooling fused (<see cref="PooledConvolution"/>) against
/// <see cref="Conv2D"/> then <see cref="MaxPool2D"/>, which it must match bit for bit in float and
/// float64, forward and backward; and against finite differences in float64.
/// </summary>
public sealed class PooledConvolutionTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Layers => new()
    {
        // batch, channels, height, width, filters, kernel, pool, pool stride
        { 11, 1, 28, 28, 16, 3, 2, 2 }, // the MNIST CNN's conv1 and pool1, in two sample groups (8 + 3)
        { 3, 3, 12, 11, 8, 3, 2, 2 }, // a 10 × 9 output: the pooling drops the last row and column
        { 1, 3, 40, 37, 5, 3, 2, 2 }, // one sample, windows in vectors of 16 and a tail
        { 9, 2, 13, 12, 4, 2, 3, 2 }, // overlapping 3 × 3 windows, stride 2: the scalar scan, gradients that add up
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Float_matches_convolution_then_pooling_bitwise(int batch, int channels, int height, int width, int filters, int kernel, int pool, int poolStride) =>
        AssertMatches<float>(batch, channels, height, width, filters, kernel, pool, poolStride);

    [Theory]
    [MemberData(nameof(Layers))]
    public void Double_matches_convolution_then_pooling_bitwise(int batch, int channels, int height, int width, int filters, int kernel, int pool, int poolStride) =>
        AssertMatches<double>(batch, channels, height, width, filters, kernel, pool, poolStride);

    [Theory]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    public void Gradients_match_finite_differences(int pool, int poolStride)
    {
        const int batch = 2, filters = 3, secondFilters = 2;
        var random = new SeededRandom(21);
        var g = new WindowGeometry(2, 11, 10, 3, 1, 0);
        var p = new WindowGeometry(filters, g.OutputHeight, g.OutputWidth, pool, poolStride, 0);
        // A second fused layer reads the first's pooled output, so its input gradient (with the first's ReLU derivative) is checked too.
        var g2 = new WindowGeometry(filters, p.OutputHeight, p.OutputWidth, 2, 1, 0);
        var p2 = new WindowGeometry(secondFilters, g2.OutputHeight, g2.OutputWidth, 2, 1, 0);
        var x = FiniteDifferences.Random(batch * g.InputSize, random);
        var w1 = FiniteDifferences.Random(filters * g.PatchSize, random, 0.8);
        var b1 = FiniteDifferences.Random(filters, random, 0.3);
        var w2 = FiniteDifferences.Random(secondFilters * g2.PatchSize, random, 0.8);
        var b2 = FiniteDifferences.Random(secondFilters, random, 0.3);
        for (var f = 0; f < secondFilters; f++)
        {
            b2[f] += 4; // most second-layer sums are negative on these seeds; the bias lets some through its ReLU
        }
        var targets = FiniteDifferences.Random(batch * secondFilters * p2.OutputPlane, random);
        double[] gx = new double[x.Length], gw1 = new double[w1.Length], gb1 = new double[b1.Length], gw2 = new double[w2.Length], gb2 = new double[b2.Length];

        double Run(bool backward)
        {
            var h = new double[batch * g2.InputSize];
            var y = new double[targets.Length];
            var at1 = new int[h.Length];
            var at2 = new int[y.Length];
            PooledConvolution.Forward<double>(x, w1, b1, h, at1, batch, g, filters, p);
            PooledConvolution.Forward<double>(h, w2, b2, y, at2, batch, g2, secondFilters, p2);
            var dy = backward ? new double[y.Length] : null;
            var loss = MeanSquaredError.Compute<double>(y, targets, dy, y.Length);
            if (backward)
            {
                var dh = new double[h.Length];
                PooledConvolution.Backward<double>(dy, y, at2, h, w2, gw2, gb2, dh, batch, g2, secondFilters, p2, Activation.ReLU, h);
                PooledConvolution.Backward<double>(dh, h, at1, x, w1, gw1, gb1, gx, batch, g, filters, p, Activation.None, default);
            }

            return loss;
        }

        Run(backward: true);
        foreach (var (name, values, gradient) in new[] { ("x", x, gx), ("w1", w1, gw1), ("b1", b1, gb1), ("w2", w2, gw2), ("b2", b2, gb2) })
        {
            var error = FiniteDifferences.RelativeError(gradient, FiniteDifferences.Gradient(values, () => Run(backward: false)));
            Assert.True(error < 1e-6, $"{name}: relative error {error:E2} ≥ 1e-6");
            Assert.True(Array.Exists(gradient, v => v != 0), $"{name}: every gradient is zero");
        }
    }

    [Fact]
    public void Rejects_a_padded_pooling()
    {
        var g = new WindowGeometry(1, 6, 6, 3, 1, 0);
        var pool = new WindowGeometry(2, 4, 4, 2, 2, 1);
        var error = Assert.Throws<ArgumentException>(() => PooledConvolution.Forward<float>(new float[36], new float[18], default, new float[18], new int[18], 1, g, 2, pool));
        Assert.Equal("pool", error.ParamName);
        Assert.Contains("unpadded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_pooling_of_another_shape()
    {
        var g = new WindowGeometry(1, 6, 6, 3, 1, 0);
        var pool = new WindowGeometry(2, 6, 6, 2, 2, 0);
        var error = Assert.Throws<ArgumentException>(() => PooledConvolution.Forward<float>(new float[36], new float[18], default, new float[18], new int[18], 1, g, 2, pool));
        Assert.Contains("does not read the convolution's output [2, 4, 4]", error.Message, StringComparison.Ordinal);
    }

    private static void AssertMatches<T>(int batch, int channels, int height, int width, int filters, int kernel, int pool, int poolStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new SeededRandom(3);
        var g = new WindowGeometry(channels, height, width, kernel, 1, 0);
        var p = new WindowGeometry(filters, g.OutputHeight, g.OutputWidth, pool, poolStride, 0);
        var x = Values<T>(batch * g.InputSize, random);
        var weight = Values<T>(filters * g.PatchSize, random);
        var bias = Values<T>(filters, random);
        var dy = Values<T>(batch * filters * p.OutputPlane, random);
        var saved = Values<T>(x.Length, random); // the previous layer's ReLU output, negative values standing for its zeros

        var convolved = new T[batch * filters * g.OutputPlane];
        var expected = new T[dy.Length];
        Conv2D.Forward<T>(x, weight, bias, convolved, default, batch, g, filters, Activation.ReLU);
        MaxPool2D.Forward<T>(convolved, expected, batch, p);
        var dz = new T[convolved.Length];
        T[] expectedDx = new T[x.Length], expectedDw = new T[weight.Length], expectedDb = new T[filters];
        MaxPool2D.Backward<T>(dy, convolved, dz, batch, p, Activation.ReLU, convolved);
        Conv2D.Backward<T>(dz, x, weight, expectedDw, expectedDb, expectedDx, batch, g, filters, Activation.ReLU, saved);

        var actual = new T[dy.Length];
        var positions = new int[dy.Length];
        PooledConvolution.Forward<T>(x, weight, bias, actual, positions, batch, g, filters, p);
        T[] dx = new T[x.Length], dw = new T[weight.Length], db = new T[filters];
        PooledConvolution.Backward<T>(dy, actual, positions, x, weight, dw, db, dx, batch, g, filters, p, Activation.ReLU, saved);

        Assert.Equal(expected, actual);
        Assert.Equal(expectedDw, dw);
        Assert.Equal(expectedDb, db);
        Assert.Equal(expectedDx, dx);
        Assert.Contains(dw, v => v != T.Zero);
        Assert.Contains(dx, v => v != T.Zero);
    }

    private static T[] Values<T>(int length, SeededRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = T.CreateTruncating(random.NextUniform(-1f, 1f));
        }

        return values;
    }
}
