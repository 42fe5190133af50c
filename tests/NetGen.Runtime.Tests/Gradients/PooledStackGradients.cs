using System;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// Finite differences in float64 through two pooled ReLU convolutions under a squared-error loss, the
/// second reading the first's pooled output, so the second's input gradient (with the first's ReLU
/// derivative) is checked as well as every weight and bias gradient. Shared by each algorithm that
/// computes a convolution with its max pooling fused (im2col's <see cref="PooledConvolution"/>, Winograd's).
/// </summary>
internal static class PooledStackGradients
{
    /// <summary>A pooled convolution's forward pass, as <see cref="PooledConvolution.Forward{T}"/> takes it.</summary>
    public delegate void Forward(ReadOnlySpan<double> x, ReadOnlySpan<double> weight, ReadOnlySpan<double> bias, Span<double> y, Span<int> positions, int batch, WindowGeometry geometry, int filters, WindowGeometry pool);

    /// <summary>A pooled convolution's backward pass, as <see cref="PooledConvolution.Backward{T}"/> takes it.</summary>
    public delegate void Backward(ReadOnlySpan<double> dy, ReadOnlySpan<double> y, ReadOnlySpan<int> positions, ReadOnlySpan<double> x, ReadOnlySpan<double> weight, Span<double> weightGradient, Span<double> biasGradient, Span<double> dx, int batch, WindowGeometry geometry, int filters, WindowGeometry pool, Activation previousActivation, ReadOnlySpan<double> previousSaved);

    /// <summary>
    /// Checks the gradients of layer 1 (<paramref name="g"/> pooled by <paramref name="p"/>, <paramref name="filters"/>
    /// filters) then layer 2 (<paramref name="g2"/>, <paramref name="p2"/>, <paramref name="secondFilters"/>) to 1e-6
    /// relative; <paramref name="secondBias"/> is added to layer 2's biases so that most of its sums pass its ReLU on
    /// the given seed.
    /// </summary>
    public static void Check(SeededRandom random, int batch, WindowGeometry g, WindowGeometry p, int filters, WindowGeometry g2, WindowGeometry p2, int secondFilters, double secondBias, Forward forward, Backward backward)
    {
        var x = FiniteDifferences.Random(batch * g.InputSize, random);
        var w1 = FiniteDifferences.Random(filters * g.PatchSize, random, 0.8);
        var b1 = FiniteDifferences.Random(filters, random, 0.3);
        var w2 = FiniteDifferences.Random(secondFilters * g2.PatchSize, random, 0.8);
        var b2 = FiniteDifferences.Random(secondFilters, random, 0.3);
        for (var f = 0; f < secondFilters; f++)
        {
            b2[f] += secondBias;
        }

        var targets = FiniteDifferences.Random(batch * secondFilters * p2.OutputPlane, random);
        double[] gx = new double[x.Length], gw1 = new double[w1.Length], gb1 = new double[b1.Length], gw2 = new double[w2.Length], gb2 = new double[b2.Length];

        double Run(bool withBackward)
        {
            var h = new double[batch * g2.InputSize];
            var y = new double[targets.Length];
            var at1 = new int[h.Length];
            var at2 = new int[y.Length];
            forward(x, w1, b1, h, at1, batch, g, filters, p);
            forward(h, w2, b2, y, at2, batch, g2, secondFilters, p2);
            var dy = withBackward ? new double[y.Length] : null;
            var loss = MeanSquaredError.Compute<double>(y, targets, dy, y.Length);
            if (withBackward)
            {
                var dh = new double[h.Length];
                backward(dy, y, at2, h, w2, gw2, gb2, dh, batch, g2, secondFilters, p2, Activation.ReLU, h);
                backward(dh, h, at1, x, w1, gw1, gb1, gx, batch, g, filters, p, Activation.None, default);
            }

            return loss;
        }

        Run(withBackward: true);
        foreach (var (name, values, gradient) in new[] { ("x", x, gx), ("w1", w1, gw1), ("b1", b1, gb1), ("w2", w2, gw2), ("b2", b2, gb2) })
        {
            var error = FiniteDifferences.RelativeError(gradient, FiniteDifferences.Gradient(values, () => Run(withBackward: false)));
            Assert.True(error < 1e-6, $"{name}: relative error {error:E2} ≥ 1e-6");
            Assert.True(Array.Exists(gradient, v => v != 0), $"{name}: every gradient is zero");
        }
    }
}
