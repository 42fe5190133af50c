using System;
using NetGen.Kernels;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// Winograd F(2×2, 3×3) against finite differences in float64 (two Winograd convolutions in a row,
/// so the first one's input gradient and the second's activation derivative are both checked),
/// and in float against im2col + GEMM on a layer of the MNIST CNN's size.
/// </summary>
public sealed class WinogradGradientTests
{
    private const int Batch = 2;
    private const double Tolerance = 1e-6;

    [Theory]
    [InlineData(7, 5, 2, 3, 0, 0, 0, 0, Activation.ReLU)] // valid: odd output sizes drop half a tile
    [InlineData(6, 6, 3, 2, 1, 1, 1, 1, Activation.GELU)] // same
    [InlineData(5, 8, 1, 4, 2, 2, 2, 2, Activation.Tanh)] // padding 2: the input gradient's correlation has none
    [InlineData(6, 7, 2, 3, 0, 1, 2, 1, Activation.Sigmoid)] // uneven padding
    public void WinogradThenWinograd(int height, int width, int channels, int filters, int top, int left, int bottom, int right, Activation activation)
    {
        var random = new SeededRandom(5);
        var first = new WindowGeometry(channels, height, width, 3, 1, top, left, bottom, right);
        var second = new WindowGeometry(filters, first.OutputHeight, first.OutputWidth, 3, 1, 1);
        const int secondFilters = 2;
        var x = FiniteDifferences.Random(Batch * first.InputSize, random);
        var w1 = FiniteDifferences.Random(filters * first.PatchSize, random, 0.8);
        var b1 = FiniteDifferences.Random(filters, random, 0.3);
        var w2 = FiniteDifferences.Random(secondFilters * second.PatchSize, random, 0.8);
        var b2 = FiniteDifferences.Random(secondFilters, random, 0.3);
        var targets = FiniteDifferences.Random(Batch * secondFilters * second.OutputPlane, random);
        double[] gx = new double[x.Length], gw1 = new double[w1.Length], gb1 = new double[b1.Length], gw2 = new double[w2.Length], gb2 = new double[b2.Length];

        double Run(bool backward)
        {
            var h = new double[Batch * second.InputSize];
            var hPre = new double[h.Length];
            var y = new double[targets.Length];
            WinogradConvolution.Forward<double>(x, w1, b1, h, hPre, Batch, first, filters, activation);
            WinogradConvolution.Forward<double>(h, w2, b2, y, default, Batch, second, secondFilters, Activation.None);
            var dy = backward ? new double[y.Length] : null;
            var loss = MeanSquaredError.Compute<double>(y, targets, dy, y.Length);
            if (backward)
            {
                var dh = new double[h.Length];
                WinogradConvolution.Backward<double>(dy, h, w2, gw2, gb2, dh, Batch, second, secondFilters, activation, Activations.SavesPreActivation(activation) ? hPre : h);
                WinogradConvolution.Backward<double>(dh, x, w1, gw1, gb1, gx, Batch, first, filters, Activation.None, default);
            }

            return loss;
        }

        Run(backward: true);
        foreach (var (name, values, gradient) in new[] { ("x", x, gx), ("w1", w1, gw1), ("b1", b1, gb1), ("w2", w2, gw2), ("b2", b2, gb2) })
        {
            var error = FiniteDifferences.RelativeError(gradient, FiniteDifferences.Gradient(values, () => Run(backward: false)));
            Assert.True(error < Tolerance, $"{name}: relative error {error:E2} ≥ {Tolerance:E0}");
            Assert.Contains(gradient, g => g != 0);
        }
    }

    [Theory]
    [InlineData(0)] // the MNIST CNN's conv2: 16 → 32 channels, 13×13 → 11×11
    [InlineData(1)]
    public void MatchesIm2ColInFloat(int padding)
    {
        const int batch = 3, filters = 32;
        var g = new WindowGeometry(16, 13, 13, 3, 1, padding);
        var random = new SeededRandom(9);
        var x = Floats(batch * g.InputSize, random);
        var weight = Floats(filters * g.PatchSize, random);
        var bias = Floats(filters, random);
        var dz = Floats(batch * filters * g.OutputPlane, random);
        float[] expected = new float[dz.Length], actual = new float[dz.Length];
        Conv2D.Forward<float>(x, weight, bias, expected, default, batch, g, filters, Activation.ReLU);
        WinogradConvolution.Forward<float>(x, weight, bias, actual, default, batch, g, filters, Activation.ReLU);
        AssertClose(expected, actual);
        float[] expectedDx = new float[x.Length], actualDx = new float[x.Length], dw = new float[weight.Length], db = new float[filters];
        Conv2D.Backward<float>(dz, x, weight, dw, db, expectedDx, batch, g, filters, Activation.None, default);
        WinogradConvolution.Backward<float>(dz, x, weight, dw, db, actualDx, batch, g, filters, Activation.None, default);
        AssertClose(expectedDx, actualDx);
    }

    [Fact]
    public void RejectsAStridedLayer()
    {
        var g = new WindowGeometry(1, 6, 6, 3, 2, 0);
        var error = Assert.Throws<ArgumentException>(() => WinogradConvolution.Forward<float>(new float[36], new float[9], default, new float[4], default, 1, g, 1, Activation.None));
        Assert.Contains("3×3 stride-1", error.Message, StringComparison.Ordinal);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        var error = FiniteDifferences.RelativeError(FiniteDifferences.Widen(actual), FiniteDifferences.Widen(expected));
        Assert.True(error < 1e-5, $"relative error {error:E2} against im2col");
    }

    private static float[] Floats(int length, SeededRandom random)
    {
        var values = new float[length];
        foreach (ref var v in values.AsSpan())
        {
            v = random.NextUniform(-1f, 1f);
        }

        return values;
    }
}
