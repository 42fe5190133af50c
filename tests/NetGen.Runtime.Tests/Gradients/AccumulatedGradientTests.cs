using System;
using System.Linq;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// The parameter gradients of a layer applied twice with one set of weights ([Reuse]) are the sum over
/// its uses: backward called with <c>accumulate: true</c> must add exactly what a fresh call would
/// write to what the other use wrote, in float64, for every layer with parameters. The sum of the uses
/// being the whole gradient is checked against float64 finite differences for a Dense applied twice in
/// depth here, and end to end for generated networks by SharedWeightNetworkTests.
/// </summary>
public sealed class AccumulatedGradientTests
{
    private const int Batch = 3;

    [Fact]
    public void DenseAddsItsParameterGradients()
    {
        const int inputs = 5, units = 4;
        var random = new SeededRandom(2);
        var weight = FiniteDifferences.Random(units * inputs, random);
        AssertAccumulates(units * inputs, units, random, Batch * units, Batch * inputs, (dz, x, dw, db, accumulate) =>
            Dense.Backward<double>(dz, x, weight, dw, db, default, Batch, inputs, units, Activation.None, default, accumulate));
    }

    [Fact]
    public void Conv2DAddsItsParameterGradients()
    {
        const int filters = 3;
        var geometry = new WindowGeometry(2, 5, 4, 3, 1, 1);
        var random = new SeededRandom(3);
        var weight = FiniteDifferences.Random(filters * geometry.PatchSize, random);
        AssertAccumulates(filters * geometry.PatchSize, filters, random, Batch * filters * geometry.OutputPlane, Batch * geometry.InputSize, (dz, x, dw, db, accumulate) =>
            Conv2D.Backward<double>(dz, x, weight, dw, db, default, Batch, geometry, filters, Activation.None, default, accumulate));
    }

    [Fact]
    public void BatchNormAddsItsParameterGradients()
    {
        const int channels = 3, spatial = 4;
        var random = new SeededRandom(4);
        var gamma = FiniteDifferences.Random(channels, random);
        var inverseStd = FiniteDifferences.Random(channels, random);
        AssertAccumulates(channels, channels, random, Batch * channels * spatial, Batch * channels * spatial, (dz, normalized, dGamma, dBeta, accumulate) =>
            BatchNorm.Backward<double>(dz, normalized, inverseStd, gamma, dGamma, dBeta, default, Batch, channels, spatial, Activation.None, default, accumulate));
    }

    [Fact]
    public void DenseAppliedTwiceInDepthMatchesFiniteDifferences()
    {
        // y1 = tanh(x · Wᵀ + b), y2 = y1 · Wᵀ + b, loss = ½ Σ y2²: one W and b, two uses. Backward as generated
        // code runs it: the later use writes the parameter gradients (and dz1 with tanh′ fused), the earlier adds.
        const int units = 4;
        var random = new SeededRandom(5);
        var x = FiniteDifferences.Random(Batch * units, random);
        var parameters = FiniteDifferences.Random((units * units) + units, random);
        double Loss()
        {
            var (y1, y2) = (new double[Batch * units], new double[Batch * units]);
            Dense.Forward<double>(x, parameters.AsSpan(0, units * units), parameters.AsSpan(units * units), y1, default, Batch, units, units, Activation.Tanh);
            Dense.Forward<double>(y1, parameters.AsSpan(0, units * units), parameters.AsSpan(units * units), y2, default, Batch, units, units, Activation.None);
            return 0.5 * y2.Sum(v => v * v);
        }

        var first = new double[Batch * units];
        var second = new double[Batch * units];
        Dense.Forward<double>(x, parameters.AsSpan(0, units * units), parameters.AsSpan(units * units), first, default, Batch, units, units, Activation.Tanh);
        Dense.Forward<double>(first, parameters.AsSpan(0, units * units), parameters.AsSpan(units * units), second, default, Batch, units, units, Activation.None);
        var gradients = new double[parameters.Length];
        var dz1 = new double[Batch * units];
        Dense.Backward<double>(second, first, parameters.AsSpan(0, units * units), gradients.AsSpan(0, units * units), gradients.AsSpan(units * units), dz1, Batch, units, units, Activation.Tanh, first);
        Dense.Backward<double>(dz1, x, parameters.AsSpan(0, units * units), gradients.AsSpan(0, units * units), gradients.AsSpan(units * units), default, Batch, units, units, Activation.None, default, accumulate: true);

        Assert.True(FiniteDifferences.RelativeError(gradients, FiniteDifferences.Gradient(parameters, Loss)) < 1e-6);
    }

    private delegate void ParameterBackward(double[] dz, double[] x, double[] first, double[] second, bool accumulate);

    /// <summary>Two uses' gradients, each written fresh, against the first use's plus the second's accumulated onto it.</summary>
    private static void AssertAccumulates(int firstLength, int secondLength, SeededRandom random, int dzLength, int xLength, ParameterBackward backward)
    {
        var (dz1, x1) = (FiniteDifferences.Random(dzLength, random), FiniteDifferences.Random(xLength, random));
        var (dz2, x2) = (FiniteDifferences.Random(dzLength, random), FiniteDifferences.Random(xLength, random));
        double[] first1 = new double[firstLength], second1 = new double[secondLength];
        double[] first2 = new double[firstLength], second2 = new double[secondLength];
        backward(dz1, x1, first1, second1, false);
        backward(dz2, x2, first2, second2, false);

        var first = (double[])first1.Clone();
        var second = (double[])second1.Clone();
        backward(dz2, x2, first, second, true);

        Assert.Equal(first1.Zip(first2, (a, b) => a + b), first, new ToleranceComparer(1e-12));
        Assert.Equal(second1.Zip(second2, (a, b) => a + b), second, new ToleranceComparer(1e-12));
        Assert.NotEqual(first2, first, new ToleranceComparer(1e-12));
    }

    private sealed class ToleranceComparer(double tolerance) : System.Collections.Generic.IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double value) => 0;
    }
}
