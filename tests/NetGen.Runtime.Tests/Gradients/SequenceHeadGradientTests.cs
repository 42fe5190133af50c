using System.Linq;
using NetGen.Kernels;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// The heads over a sequence in float64 against central finite differences, as the generated code drives
/// them: x[B, steps, features] → Dense per step (Dense's numerics over batch·steps rows, with an
/// activation) → GlobalAveragePool1D (the per-step Dense's activation derivative applied in its backward,
/// row by row for Softmax) → Dense classifier → softmax cross-entropy. Every tensor within 1e-6; with
/// lengths (MaskPadding) the mean covers each sample's real steps and the padded steps get no gradient.
/// </summary>
public sealed class SequenceHeadGradientTests
{
    private const int Batch = 3, Steps = 4, Features = 5, Units = 3, Classes = 4;
    private const double Tolerance = 1e-6;

    [Theory]
    [InlineData(Activation.None, false)]
    [InlineData(Activation.Tanh, false)]
    [InlineData(Activation.Softmax, false)]
    [InlineData(Activation.GELU, false)]
    [InlineData(Activation.Tanh, true)]
    [InlineData(Activation.Softmax, true)]
    public void PerStepDenseThenMeanOverStepsMatchesFiniteDifferences(Activation activation, bool masked)
    {
        double[] lengths = masked ? [4, 2, 1] : [];
        var random = new SeededRandom(5);
        var x = FiniteDifferences.Random(Batch * Steps * Features, random);
        double[] w0 = FiniteDifferences.Random(Units * Features, random, 0.8), b0 = FiniteDifferences.Random(Units, random, 0.3);
        double[] w1 = FiniteDifferences.Random(Classes * Units, random, 0.8), b1 = FiniteDifferences.Random(Classes, random, 0.3);
        int[] labels = [2, 0, 3];
        double[] dx = new double[x.Length], dw0 = new double[w0.Length], db0 = new double[Units], dw1 = new double[w1.Length], db1 = new double[Classes];

        double Loss(bool backward)
        {
            const int rows = Batch * Steps;
            double[] h = new double[rows * Units], pre = new double[rows * Units], pooled = new double[Batch * Units], logits = new double[Batch * Classes];
            Dense.Forward<double>(x, w0, b0, h, pre, rows, Features, Units, activation);
            GlobalAveragePool1D.Forward<double>(h, pooled, Batch, Steps, Units, lengths);
            Dense.Forward<double>(pooled, w1, b1, logits, default, Batch, Units, Classes, Activation.None);
            var dLogits = backward ? new double[logits.Length] : null;
            var loss = SoftmaxCrossEntropy.Compute<double>(logits, labels, dLogits, default, Batch, Classes, 0);
            if (dLogits is not null)
            {
                double[] dPooled = new double[pooled.Length], dh = new double[h.Length];
                Dense.Backward<double>(dLogits, pooled, w1, dw1, db1, dPooled, Batch, Units, Classes, Activation.None, default);
                GlobalAveragePool1D.Backward<double>(dPooled, dh, Batch, Steps, Units, activation, Activations.SavesPreActivation(activation) ? pre : h, lengths);
                Dense.Backward<double>(dh, x, w0, dw0, db0, dx, rows, Features, Units, Activation.None, default);
            }

            return loss;
        }

        Loss(backward: true);
        foreach (var (name, values, gradient) in new[] { ("x", x, dx), ("per_step.weight", w0, dw0), ("per_step.bias", b0, db0), ("classifier.weight", w1, dw1), ("classifier.bias", b1, db1) })
        {
            var numeric = FiniteDifferences.Gradient(values, () => Loss(backward: false));
            var error = FiniteDifferences.RelativeError(gradient, numeric);
            Assert.True(error < Tolerance, $"{name}: relative error {error:E2} ≥ {Tolerance:E0}");
            Assert.Contains(gradient, g => g != 0);
        }

        if (masked)
        {
            // Sample 1's steps 2 and 3 are padding: they get no gradient (and the finite differences above agree).
            Assert.All(dx.Skip(((1 * Steps) + 2) * Features).Take(2 * Features), g => Assert.Equal(0, g));
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(5.0)]
    [InlineData(1.5)]
    public void MeanRefusesALengthOutsideTheSteps(double length)
    {
        var x = new double[2 * Steps * Features];
        var y = new double[2 * Features];

        var error = Assert.Throws<System.ArgumentException>(() => GlobalAveragePool1D.Forward<double>(x, y, 2, Steps, Features, [2, length]));

        Assert.Contains("Sample 1 has length", error.Message, System.StringComparison.Ordinal);
    }
}
