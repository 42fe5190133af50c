using System;
using System.Numerics;
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
        PooledStackGradients.Check(random, batch, g, p, filters, g2, p2, secondFilters, secondBias: 4, // most second-layer sums are negative on this seed
            (x, w, b, y, at, n, geometry, f, window) => PooledConvolution.Forward<double>(x, w, b, y, at, n, geometry, f, window),
            (dy, y, at, x, w, gw, gb, dx, n, geometry, f, window, activation, saved) => PooledConvolution.Backward<double>(dy, y, at, x, w, gw, gb, dx, n, geometry, f, window, activation, saved));
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
