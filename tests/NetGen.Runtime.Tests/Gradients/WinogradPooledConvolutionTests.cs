using System;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// A ReLU convolution with its 2×2 max pooling computed forward by Winograd F(2×2, 3×3)
/// (<see cref="WinogradPooledConvolution"/>): against im2col's convolution then pooling in float (within
/// rounding, each position the window's maximum) and float64; backward, Winograd again for the weight and
/// the input gradient, against im2col's in float and against finite differences in float64.
/// </summary>
public sealed class WinogradPooledConvolutionTests
{
    public static TheoryData<int, int, int, int, int, int> Layers => new()
    {
        // batch, channels, height, width, filters, padding
        { 2, 32, 38, 38, 64, 0 }, // Chollet's conv2 shape, smaller: 18 × 18 windows a sample, several chunks and blocks
        { 3, 16, 13, 13, 32, 0 }, // the MNIST CNN's conv2: 5 × 5 windows, so vectors of tiles run across samples; odd 11 × 11 output
        { 2, 5, 17, 17, 13, 1 }, // padded; 13 filters fill a last block of 8 rows partly
        { 1, 128, 17, 17, 128, 0 }, // Chollet's conv4: 15 × 15 output, 7 × 7 windows
        { 9, 3, 8, 44, 10, 2 }, // padding 2; 22 windows a row, more than a vector holds
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Float_matches_the_im2col_convolution_then_pooling_within_rounding(int batch, int channels, int height, int width, int filters, int padding)
    {
        var (g, p) = Geometry(channels, height, width, filters, padding);
        var random = new SeededRandom(41);
        var x = Values<float>(batch * g.InputSize, random, 1);
        var weight = Values<float>(filters * g.PatchSize, random, 1 / MathF.Sqrt(g.PatchSize));
        var bias = Values<float>(filters, random, 0.1f);
        var convolved = new float[batch * filters * g.OutputPlane];
        Conv2D.Forward<float>(x, weight, bias, convolved, default, batch, g, filters, Activation.ReLU);
        var y = new float[batch * filters * p.OutputPlane];
        var positions = new int[y.Length];

        WinogradPooledConvolution.Forward<float>(x, weight, bias, y, positions, batch, g, filters, p);

        for (var o = 0; o < y.Length; o++)
        {
            var plane = convolved.AsSpan(o / p.OutputPlane * g.OutputPlane, g.OutputPlane);
            var (i, j) = Math.DivRem(o % p.OutputPlane, p.OutputWidth);
            var max = MathF.Max(MathF.Max(plane[(2 * i * g.OutputWidth) + (2 * j)], plane[(2 * i * g.OutputWidth) + (2 * j) + 1]), MathF.Max(plane[(((2 * i) + 1) * g.OutputWidth) + (2 * j)], plane[(((2 * i) + 1) * g.OutputWidth) + (2 * j) + 1]));
            Assert.True(MathF.Abs(y[o] - max) <= 1e-5f, $"output {o}: {y[o]} against im2col's {max}");
            var (row, column) = Math.DivRem(positions[o], g.OutputWidth);
            Assert.True(row >> 1 == i && column >> 1 == j, $"output {o}: position {positions[o]} outside its window");
            Assert.True(MathF.Abs(plane[positions[o]] - max) <= 1e-5f, $"output {o}: position {positions[o]} holds {plane[positions[o]]}, not the maximum {max}");
        }

        Assert.Contains(y, v => v > 0);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Double_matches_the_im2col_pooled_convolution(int batch, int channels, int height, int width, int filters, int padding)
    {
        var (g, p) = Geometry(channels, height, width, filters, padding);
        var random = new SeededRandom(42);
        var x = Values<double>(batch * g.InputSize, random, 1);
        var weight = Values<double>(filters * g.PatchSize, random, 1);
        var bias = Values<double>(filters, random, 1);
        double[] expected = new double[batch * filters * p.OutputPlane], actual = new double[expected.Length];
        int[] expectedPositions = new int[expected.Length], positions = new int[expected.Length];
        PooledConvolution.Forward<double>(x, weight, bias, expected, expectedPositions, batch, g, filters, p);

        WinogradPooledConvolution.Forward<double>(x, weight, bias, actual, positions, batch, g, filters, p);

        for (var o = 0; o < expected.Length; o++)
        {
            Assert.True(Math.Abs(expected[o] - actual[o]) <= 1e-12 * (1 + Math.Abs(expected[o])), $"output {o}: {actual[o]} against {expected[o]}");
        }

        Assert.Equal(expectedPositions, positions);
    }

    [Fact]
    public void Gradients_through_the_Winograd_forward_match_finite_differences()
    {
        const int batch = 2, filters = 3, secondFilters = 2;
        var random = new SeededRandom(43);
        var (g, p) = Geometry(2, 11, 10, filters, 0);
        // A second pooled layer reads the first's output, so its input gradient (padding 2: a correlation without
        // padding, with the first's ReLU derivative) is checked too.
        var (g2, p2) = Geometry(filters, p.OutputHeight, p.OutputWidth, secondFilters, 2);
        PooledStackGradients.Check(random, batch, g, p, filters, g2, p2, secondFilters, secondBias: 2,
            (x, w, b, y, at, n, geometry, f, window) => WinogradPooledConvolution.Forward<double>(x, w, b, y, at, n, geometry, f, window),
            (dy, y, at, x, w, gw, gb, dx, n, geometry, f, window, activation, saved) => WinogradPooledConvolution.Backward<double>(dy, y, at, x, w, gw, gb, dx, n, geometry, f, window, activation, saved));
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Float_gradients_match_im2col_from_the_same_pooled_output(int batch, int channels, int height, int width, int filters, int padding)
    {
        var (g, p) = Geometry(channels, height, width, filters, padding);
        var random = new SeededRandom(45);
        var x = Values<float>(batch * g.InputSize, random, 1);
        var weight = Values<float>(filters * g.PatchSize, random, 1 / MathF.Sqrt(g.PatchSize));
        var bias = Values<float>(filters, random, 0.1f);
        var dy = Values<float>(batch * filters * p.OutputPlane, random, 1);
        var saved = Values<float>(x.Length, random, 1); // the previous layer's ReLU output, negative values standing for its zeros
        var y = new float[dy.Length];
        var positions = new int[dy.Length];
        WinogradPooledConvolution.Forward<float>(x, weight, bias, y, positions, batch, g, filters, p);
        float[] expectedDx = new float[x.Length], expectedDw = new float[weight.Length], expectedDb = new float[filters];
        PooledConvolution.Backward<float>(dy, y, positions, x, weight, expectedDw, expectedDb, expectedDx, batch, g, filters, p, Activation.ReLU, saved);
        float[] dx = new float[x.Length], dw = new float[weight.Length], db = new float[filters];

        WinogradPooledConvolution.Backward<float>(dy, y, positions, x, weight, dw, db, dx, batch, g, filters, p, Activation.ReLU, saved);

        // The weight and bias gradients are Winograd's own sums (WinogradWeightGradient) where its float blocks fit:
        // within rounding of im2col's, relative to the layer's largest, as each sums the same hundreds of terms.
        var largest = MathF.Max(1, MathF.Max(MathF.Abs(System.Numerics.Tensors.TensorPrimitives.Max(expectedDw)), MathF.Abs(System.Numerics.Tensors.TensorPrimitives.Min(expectedDw))));
        for (var i = 0; i < dw.Length; i++)
        {
            Assert.True(MathF.Abs(dw[i] - expectedDw[i]) <= 1e-5f * largest, $"dW[{i}]: {dw[i]} against im2col's {expectedDw[i]}");
        }

        for (var o = 0; o < filters; o++)
        {
            Assert.True(MathF.Abs(db[o] - expectedDb[o]) <= 1e-5f * largest, $"db[{o}]: {db[o]} against im2col's {expectedDb[o]}");
        }

        for (var i = 0; i < dx.Length; i++)
        {
            Assert.True(MathF.Abs(dx[i] - expectedDx[i]) <= 1e-5f, $"dx[{i}]: {dx[i]} against im2col's {expectedDx[i]}");
        }

        Assert.Contains(dx, v => v != 0);
    }

    [Fact]
    public void A_NaN_pixel_makes_exactly_the_windows_that_read_it_NaN()
    {
        const int batch = 2, filters = 8;
        var (g, p) = Geometry(16, 12, 12, filters, 0);
        var random = new SeededRandom(44);
        var x = Values<float>(batch * g.InputSize, random, 1);
        var weight = Values<float>(filters * g.PatchSize, random, 0.1f);
        x[g.InputSize + (3 * g.Height * g.Width) + (5 * g.Width) + 6] = float.NaN; // sample 1, channel 3, row 5, column 6
        float[] expected = new float[batch * filters * p.OutputPlane], actual = new float[expected.Length];
        PooledConvolution.Forward<float>(x, weight, default, expected, new int[expected.Length], batch, g, filters, p);

        WinogradPooledConvolution.Forward<float>(x, weight, default, actual, new int[expected.Length], batch, g, filters, p);

        Assert.Equal(Array.ConvertAll(expected, float.IsNaN), Array.ConvertAll(actual, float.IsNaN));
        Assert.Contains(actual, float.IsNaN);
    }

    [Theory]
    [InlineData(3, 2)] // overlapping windows
    [InlineData(2, 1)]
    public void Rejects_a_pooling_other_than_2x2_stride_2(int window, int stride)
    {
        var g = new WindowGeometry(1, 8, 8, 3, 1, 0);
        var pool = new WindowGeometry(2, 6, 6, window, stride, 0);
        var error = Assert.Throws<ArgumentException>(() => WinogradPooledConvolution.Forward<float>(new float[64], new float[18], default, new float[72], new int[72], 1, g, 2, pool));
        Assert.Equal("pool", error.ParamName);
        Assert.Contains("unpadded 2×2 stride-2 max pooling", error.Message, StringComparison.Ordinal);
    }

    private static (WindowGeometry Convolution, WindowGeometry Pool) Geometry(int channels, int height, int width, int filters, int padding)
    {
        var g = new WindowGeometry(channels, height, width, 3, 1, padding);
        return (g, new WindowGeometry(filters, g.OutputHeight, g.OutputWidth, 2, 2, 0));
    }

    private static T[] Values<T>(int length, SeededRandom random, float scale)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = T.CreateTruncating(random.NextUniform(-scale, scale));
        }

        return values;
    }
}
