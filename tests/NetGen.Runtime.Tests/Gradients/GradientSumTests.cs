using System;
using System.Linq;
using NetGen.Kernels;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// One tensor with two consumers, in float64: <c>h = act(u)</c> feeds a Dense layer and, through a
/// residual Add, a second branch; loss = MSE of the dense output + <c>Σ w ⊙ tanh(h + c)</c>. Each
/// consumer's backward writes its share of <c>dL/dh</c> without the producer's derivative,
/// <see cref="GradientSum"/> adds them and applies it once; the result against finite differences.
/// </summary>
public sealed class GradientSumTests
{
    private const int Batch = 3, Width = 4, Units = 2;

    public static TheoryData<Activation> Producers => new(Enum.GetValues<Activation>());

    [Theory]
    [MemberData(nameof(Producers))]
    public void TwoConsumersSummedThenTheDerivativeMatchFiniteDifferences(Activation producer)
    {
        var random = new SeededRandom(13);
        var u = FiniteDifferences.Random(Batch * Width, random, 2);
        var c = FiniteDifferences.Random(Batch * Width, random);
        var w = FiniteDifferences.Random(Batch * Width, random);
        var weight = FiniteDifferences.Random(Units * Width, random);
        var targets = FiniteDifferences.Random(Batch * Units, random);

        double[] Produce()
        {
            var h = u.ToArray();
            Activations.ApplyRows<double>(producer, h, Batch, Width);
            return h;
        }

        double Loss(double[]? dh)
        {
            var h = Produce();
            var dense = new double[Batch * Units];
            Dense.Forward<double>(h, weight, default, dense, default, Batch, Width, Units, Activation.None);
            var residual = new double[Batch * Width];
            Add.Forward<double>(h, c, residual, default, Batch * Width, Activation.Tanh);
            var dDense = dh is null ? null : new double[dense.Length];
            var loss = MeanSquaredError.Compute<double>(dense, targets, dDense, dense.Length) + residual.Select((v, i) => w[i] * v).Sum();
            if (dh is null)
            {
                return loss;
            }

            // Consumer 1 writes its share, consumer 2 adds its own; the producer's derivative comes last.
            Dense.Backward<double>(dDense, h, weight, new double[weight.Length], default, dh, Batch, Width, Units, Activation.None, default);
            var dResidual = w.ToArray();
            Activations.Backward<double>(Activation.Tanh, dResidual, residual, Batch, Width);
            var share = new double[dh.Length];
            Add.Backward<double>(dResidual, share, share.Length, Activation.None, default);
            GradientSum.Accumulate<double>(dh, share, dh.Length);
            GradientSum.Finish<double>(dh, Batch, Width, producer, Activations.SavesPreActivation(producer) ? u : h);
            return loss;
        }

        var analytic = new double[u.Length];
        Loss(analytic);

        var error = FiniteDifferences.RelativeError(analytic, FiniteDifferences.Gradient(u, () => Loss(null)));
        Assert.True(error < 1e-6, $"{producer}: relative error {error:E2}");
        Assert.Contains(analytic, g => g != 0);
    }

    [Fact]
    public void AccumulateAddsEveryValueIncludingTheVectorTail()
    {
        // 19 values: whole vectors of any width, then a scalar tail.
        var gradient = Enumerable.Range(0, 19).Select(i => (float)i).ToArray();
        var addend = Enumerable.Range(0, 19).Select(i => 100f * i).ToArray();

        GradientSum.Accumulate<float>(gradient, addend, 19);

        Assert.Equal(Enumerable.Range(0, 19).Select(i => 101f * i), gradient);
    }

    [Fact]
    public void ShortSpansAreRejectedNamingThem()
    {
        var error = Assert.Throws<ArgumentException>(() => GradientSum.Accumulate<double>(new double[4], new double[3], 4));
        Assert.Equal("addend", error.ParamName);
        error = Assert.Throws<ArgumentException>(() => GradientSum.Finish<double>(new double[8], 2, 4, Activation.Sigmoid, new double[7]));
        Assert.Equal("saved", error.ParamName);
        Assert.Contains("fewer than batch 2 × 4", error.Message);
    }
}
