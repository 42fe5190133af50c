using System;
using System.Linq;
using NetGen.Kernels;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// A network with two outputs, each with its own loss and weight, both reading one hidden tensor, in
/// float64 through the runtime numerics the generated code calls, in the order it calls them: each loss
/// writes its weight times its gradient (<see cref="LossWeight.Scale{T}"/>), each head's input gradient
/// goes to its own slot, <see cref="GradientSum"/> adds the slots and applies the hidden activation's
/// derivative once, then the hidden layer's backward runs. Checked against finite differences of the
/// weighted total (&lt; 1e-6), for the parameters and the network input; generated networks with several
/// outputs are checked end to end by MultiIoNetworkTests and TorchMultiIoTests.
/// </summary>
public sealed class WeightedOutputsGradientTests
{
    private const int Batch = 3, Inputs = 5, Hidden = 4, Classes = 3;
    private const double ClassWeight = 0.7, ScoreWeight = 1.8;

    // Offsets in the flat parameter array: hidden W0 [4, 5], b0 [4]; class head W1 [3, 4], b1 [3]; score head W2 [1, 4], b2 [1].
    private const int W0 = 0, B0 = W0 + (Hidden * Inputs), W1 = B0 + Hidden, B1 = W1 + (Classes * Hidden), W2 = B1 + Classes, B2 = W2 + Hidden, ParameterCount = B2 + 1;

    private static readonly int[] Labels = [2, 0, 1];
    private static readonly double[] Targets = [0.5, -1.0, 2.0];

    [Fact]
    public void TwoWeightedOutputsReadingOneTensorMatchFiniteDifferences()
    {
        var random = new SeededRandom(6);
        var x = FiniteDifferences.Random(Batch * Inputs, random);
        var parameters = FiniteDifferences.Random(ParameterCount, random);

        var (gradients, inputGradient) = Backward(parameters, x);

        Assert.True(FiniteDifferences.RelativeError(gradients, FiniteDifferences.Gradient(parameters, () => Total(parameters, x))) < 1e-6);
        Assert.True(FiniteDifferences.RelativeError(inputGradient, FiniteDifferences.Gradient(x, () => Total(parameters, x))) < 1e-6);
    }

    private static double Total(double[] parameters, double[] x)
    {
        var (_, logits, score) = Forward(parameters, x);
        return (ClassWeight * SoftmaxCrossEntropy.Compute<double>(logits, Labels, default, default, Batch, Classes))
            + (ScoreWeight * MeanSquaredError.Compute<double>(score, Targets, default, Batch));
    }

    private static (double[] Hidden, double[] Logits, double[] Score) Forward(double[] p, double[] x)
    {
        var (h, logits, score) = (new double[Batch * Hidden], new double[Batch * Classes], new double[Batch]);
        Dense.Forward<double>(x, p.AsSpan(W0, Hidden * Inputs), p.AsSpan(B0, Hidden), h, default, Batch, Inputs, Hidden, Activation.Tanh);
        Dense.Forward<double>(h, p.AsSpan(W1, Classes * Hidden), p.AsSpan(B1, Classes), logits, default, Batch, Hidden, Classes, Activation.None);
        Dense.Forward<double>(h, p.AsSpan(W2, Hidden), p.AsSpan(B2, 1), score, default, Batch, Hidden, 1, Activation.None);
        return (h, logits, score);
    }

    private static (double[] Parameters, double[] Input) Backward(double[] p, double[] x)
    {
        var (h, logits, score) = Forward(p, x);
        var (dLogits, dScore) = (new double[logits.Length], new double[score.Length]);
        SoftmaxCrossEntropy.Compute<double>(logits, Labels, dLogits, default, Batch, Classes);
        LossWeight.Scale<double>(dLogits, ClassWeight);
        MeanSquaredError.Compute<double>(score, Targets, dScore, Batch);
        LossWeight.Scale<double>(dScore, ScoreWeight);

        var gradients = new double[p.Length];
        var (dHidden, dHiddenSlot, dx) = (new double[h.Length], new double[h.Length], new double[x.Length]);
        Dense.Backward<double>(dScore, h, p.AsSpan(W2, Hidden), gradients.AsSpan(W2, Hidden), gradients.AsSpan(B2, 1), dHiddenSlot, Batch, Hidden, 1, Activation.None, default);
        Dense.Backward<double>(dLogits, h, p.AsSpan(W1, Classes * Hidden), gradients.AsSpan(W1, Classes * Hidden), gradients.AsSpan(B1, Classes), dHidden, Batch, Hidden, Classes, Activation.None, default);
        GradientSum.Accumulate<double>(dHidden, dHiddenSlot, dHidden.Length);
        GradientSum.Finish<double>(dHidden, Batch, Hidden, Activation.Tanh, h);
        Dense.Backward<double>(dHidden, x, p.AsSpan(W0, Hidden * Inputs), gradients.AsSpan(W0, Hidden * Inputs), gradients.AsSpan(B0, Hidden), dx, Batch, Inputs, Hidden, Activation.None, default);
        return (gradients, dx);
    }
}
