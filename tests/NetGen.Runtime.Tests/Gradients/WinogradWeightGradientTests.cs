using System;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// One sample group's weight and bias gradients of a pooled 3×3 convolution through Winograd F(3×3, 2×2)
/// (<see cref="WinogradWeightGradient"/>): in float64 against the sums over the convolution's gradient
/// rebuilt from the pooled gradient, in float (the AVX-512 blocks where they fit) against float64.
/// </summary>
public sealed class WinogradWeightGradientTests
{
    public static TheoryData<int, int, int, int, int, int> Layers => new()
    {
        // samples, channels, height, width, filters, padding
        { 3, 16, 13, 13, 32, 0 }, // the MNIST CNN's conv2: odd 11 × 11 output, 5 × 5 windows, chunks across samples
        { 2, 32, 38, 38, 64, 0 }, // Chollet's conv2 shape, smaller: several chunks
        { 1, 128, 17, 17, 128, 0 }, // Chollet's conv4: 15 × 15 output, 7 × 7 windows
        { 2, 8, 12, 21, 32, 1 }, // padded by 1: blocks straddle the image's edge; 10 windows a row
        { 4, 8, 9, 40, 32, 2 }, // padded by 2; 20 windows a row, more than a vector holds
        { 5, 8, 6, 6, 32, 0 }, // 2 × 2 windows a sample: 16 tiles span four samples
        { 2, 5, 11, 11, 13, 1 }, // channels and filters that no register tile covers: tile by tile in float too
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Double_gradients_equal_the_sums_over_the_rebuilt_convolution_gradient(int samples, int channels, int height, int width, int filters, int padding)
    {
        var (g, p) = Geometry(channels, height, width, filters, padding);
        var (x, dy, y, positions) = Inputs<double>(samples, g, p, filters, new SeededRandom(61));
        var (expectedWeight, expectedBias, scale) = Sums(x, dy, y, positions, samples, g, p, filters);
        double[] weight = new double[filters * g.PatchSize], bias = new double[filters];

        WinogradWeightGradient.Group<double>(dy, y, positions, x, weight, bias, samples, g, filters);

        for (var i = 0; i < weight.Length; i++)
        {
            Assert.True(Math.Abs(weight[i] - expectedWeight[i]) <= 1e-12 * scale, $"dW[{i}]: {weight[i]} against {expectedWeight[i]}");
        }

        for (var o = 0; o < filters; o++)
        {
            Assert.True(Math.Abs(bias[o] - expectedBias[o]) <= 1e-12 * scale, $"db[{o}]: {bias[o]} against {expectedBias[o]}");
        }

        Assert.Contains(weight, v => v != 0);
    }

    /// <summary>
    /// Float sums a group's tiles in float: each of the 16 points adds one product a tile (a few thousand here),
    /// whose factors the transforms made up to 4 and 1 times the inputs, and the weights' transform adds up 16
    /// points at a time; 2e-5 of the layer's largest possible term sum is several times float's rounding of such sums.
    /// </summary>
    [Theory]
    [MemberData(nameof(Layers))]
    public void Float_matches_float64_within_rounding(int samples, int channels, int height, int width, int filters, int padding)
    {
        var (g, p) = Geometry(channels, height, width, filters, padding);
        var (x, dy, y, positions) = Inputs<float>(samples, g, p, filters, new SeededRandom(62));
        var (expectedWeight, expectedBias, scale) = Sums(Array.ConvertAll(x, v => (double)v), Array.ConvertAll(dy, v => (double)v), Array.ConvertAll(y, v => (double)v), positions, samples, g, p, filters);
        float[] weight = new float[filters * g.PatchSize], bias = new float[filters];

        WinogradWeightGradient.Group<float>(dy, y, positions, x, weight, bias, samples, g, filters);

        for (var i = 0; i < weight.Length; i++)
        {
            Assert.True(Math.Abs(weight[i] - expectedWeight[i]) <= 2e-5 * scale, $"dW[{i}]: {weight[i]} against {expectedWeight[i]} (scale {scale})");
        }

        for (var o = 0; o < filters; o++)
        {
            Assert.True(Math.Abs(bias[o] - expectedBias[o]) <= 2e-5 * scale, $"db[{o}]: {bias[o]} against {expectedBias[o]}");
        }
    }

    [Fact]
    public void A_bias_gradient_alone_is_the_sum_of_the_passed_pooled_gradients()
    {
        var (g, p) = Geometry(16, 13, 13, 32, 0);
        const int samples = 2, filters = 32;
        var (x, dy, y, positions) = Inputs<float>(samples, g, p, filters, new SeededRandom(63));
        var (_, expectedBias, scale) = Sums(Array.ConvertAll(x, v => (double)v), Array.ConvertAll(dy, v => (double)v), Array.ConvertAll(y, v => (double)v), positions, samples, g, p, filters);
        var bias = new float[filters];

        WinogradWeightGradient.Group<float>(dy, y, positions, x, Span<float>.Empty, bias, samples, g, filters);

        for (var o = 0; o < filters; o++)
        {
            Assert.True(Math.Abs(bias[o] - expectedBias[o]) <= 1e-6 * scale, $"db[{o}]: {bias[o]} against {expectedBias[o]}");
        }
    }

    /// <summary>
    /// dW and db from the convolution's gradient rebuilt as <see cref="PooledConvolution"/> routes it, summed in
    /// float64, and the largest sum of absolute terms of any of them (the scale of their rounding).
    /// </summary>
    private static (double[] Weight, double[] Bias, double Scale) Sums(double[] x, double[] dy, double[] y, int[] positions, int samples, in WindowGeometry g, in WindowGeometry p, int filters)
    {
        double[] weight = new double[filters * g.PatchSize], bias = new double[filters], magnitude = new double[weight.Length + filters];
        for (var s = 0; s < samples; s++)
        {
            for (var o = 0; o < filters; o++)
            {
                for (var t = 0; t < p.OutputPlane; t++)
                {
                    var at = (((s * filters) + o) * p.OutputPlane) + t;
                    if (y[at] <= 0)
                    {
                        continue;
                    }

                    bias[o] += dy[at];
                    magnitude[weight.Length + o] += Math.Abs(dy[at]);
                    var (row, column) = Math.DivRem(positions[at], g.OutputWidth);
                    for (var c = 0; c < g.Channels; c++)
                    {
                        for (var kh = 0; kh < 3; kh++)
                        {
                            for (var kw = 0; kw < 3; kw++)
                            {
                                int r = row + kh - g.PadTop, q = column + kw - g.PadLeft;
                                if ((uint)r < (uint)g.Height && (uint)q < (uint)g.Width)
                                {
                                    var term = dy[at] * x[(((s * g.Channels) + c) * g.Height * g.Width) + (r * g.Width) + q];
                                    var i = (((((o * g.Channels) + c) * 3) + kh) * 3) + kw;
                                    weight[i] += term;
                                    magnitude[i] += Math.Abs(term);
                                }
                            }
                        }
                    }
                }
            }
        }

        return (weight, bias, Math.Max(1, System.Linq.Enumerable.Max(magnitude)));
    }

    /// <summary>
    /// Random inputs and pooled gradients, pooled outputs of both signs (ReLU′ passes about half), and each
    /// window's maximum at a random one of its four positions.
    /// </summary>
    private static (T[] X, T[] Dy, T[] Y, int[] Positions) Inputs<T>(int samples, in WindowGeometry g, in WindowGeometry p, int filters, SeededRandom random)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var x = Values<T>(samples * g.InputSize, random);
        var dy = Values<T>(samples * filters * p.OutputPlane, random);
        var y = Values<T>(dy.Length, random);
        var positions = new int[dy.Length];
        for (var at = 0; at < positions.Length; at++)
        {
            var (i, j) = Math.DivRem(at % p.OutputPlane, p.OutputWidth);
            var corner = random.NextInt(4);
            positions[at] = (((2 * i) + (corner >> 1)) * g.OutputWidth) + (2 * j) + (corner & 1);
        }

        return (x, dy, y, positions);
    }

    private static (WindowGeometry Convolution, WindowGeometry Pool) Geometry(int channels, int height, int width, int filters, int padding)
    {
        var g = new WindowGeometry(channels, height, width, 3, 1, padding);
        return (g, new WindowGeometry(filters, g.OutputHeight, g.OutputWidth, 2, 2, 0));
    }

    private static T[] Values<T>(int length, SeededRandom random)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = T.CreateTruncating(random.NextUniform(-1, 1));
        }

        return values;
    }
}
