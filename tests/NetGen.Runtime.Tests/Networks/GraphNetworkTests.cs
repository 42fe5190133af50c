using System;
using NetGen.Runtime.Tests.Gradients;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// Generated graph networks against finite differences of their own loss: every parameter gradient and
/// the gradient of the input, where tensors feed several layers (their gradients summed), a tensor is
/// added to itself, and branches are joined by Add and Concat. float32 end to end, so the tolerance is
/// float32's; the float64 checks of each op are in <c>Gradients/</c>. One test measures allocation, so the
/// class runs alone.
/// </summary>
[Collection(TrainingStepAllocationCollection.Name)]
public sealed class GraphNetworkTests
{
    // The regressor's input gradients are ~1e-3 while float32 central differences of its loss carry
    // ~1e-5 of rounding noise, so they agree to ~4e-3 (measured 3.6e-3); a gradient summed wrongly or
    // not at all is off by tens of percent.
    private const double InputTolerance = 1e-2;

    [Fact]
    public void ResidualGradientsMatchFiniteDifferences()
    {
        var (model, inputs, targets) = Regressor();
        model.TrainStep(inputs, targets);

        var numeric = FiniteDifferences.Gradient(model.Parameters, () => model.Evaluate(inputs, targets, new float[targets.Length]));

        Assert.True(FiniteDifferences.RelativeError(FiniteDifferences.Widen(model.Gradients), numeric) < 2e-3);
    }

    [Fact]
    public void ResidualInputGradientsMatchFiniteDifferences()
    {
        var (model, inputs, targets) = Regressor();
        model.ComputeInputGradients = true;
        model.TrainStep(inputs, targets);
        var analytic = FiniteDifferences.Widen(model.InputGradients);

        var numeric = FiniteDifferences.Gradient(inputs, () => model.Evaluate(inputs, targets, new float[targets.Length]));

        Assert.Equal(inputs.Length, analytic.Length);
        Assert.True(FiniteDifferences.RelativeError(analytic, numeric) < InputTolerance);
    }

    [Fact]
    public void VectorGraphGradientsMatchFiniteDifferences()
    {
        var model = new TestVectorGraph { ComputeInputGradients = true };
        var random = new SeededRandom(8);
        var inputs = new float[4 * TestVectorGraph.Layout.InputSize];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.NextUniform(-1, 1);
        }

        int[] labels = [0, 2, 1, 2];
        model.TrainStep(inputs, labels);
        var parameters = FiniteDifferences.Widen(model.Gradients);
        var input = FiniteDifferences.Widen(model.InputGradients);

        Func<double> loss = () => model.Evaluate(inputs, labels, new float[labels.Length * TestVectorGraph.Layout.OutputSize]);
        Assert.True(FiniteDifferences.RelativeError(parameters, FiniteDifferences.Gradient(model.Parameters, loss)) < 2e-3);
        Assert.True(FiniteDifferences.RelativeError(input, FiniteDifferences.Gradient(inputs, loss)) < 2e-3);
    }

    [Fact]
    public void InputGradientsFollowTheFrozenPrefixAndTheRequest()
    {
        var (model, inputs, targets) = Regressor();
        Assert.Throws<InvalidOperationException>(() => model.InputGradients.Length);

        model.SetFrozen("stem", true);
        model.SetFrozen("shortcut", true);
        model.ComputeInputGradients = true;
        model.TrainStep(inputs, targets);
        var frozen = FiniteDifferences.Widen(model.InputGradients);
        var numeric = FiniteDifferences.Gradient(inputs, () => model.Evaluate(inputs, targets, new float[targets.Length]));

        // Frozen layers still carry the gradient through to the input when it is asked for.
        Assert.True(FiniteDifferences.RelativeError(frozen, numeric) < InputTolerance);
        Assert.All(model.Stem.WeightGradient.ToArray(), g => Assert.Equal(0f, g));

        model.ComputeInputGradients = false;
        model.TrainStep(inputs, targets);
        Assert.Throws<InvalidOperationException>(() => model.InputGradients.Length);
    }

    [Fact]
    public void GraphTrainingStepAllocatesNothingAfterWarmUpEvenWithInputGradients()
    {
        // Gradient sums, joins and the input-gradient buffer are all planned: after the first steps nothing is allocated.
        var model = new TestVectorGraph { ComputeInputGradients = true };
        var (inputs, labels) = TrainingStepProbe.RandomBatch(model, 32, 3);

        Assert.Equal(0, TrainingStepProbe.AllocatedBytes(model, inputs, labels, steps: 3));
    }

    private static (TestResidualRegressor Model, float[] Inputs, float[] Targets) Regressor()
    {
        var model = new TestResidualRegressor();
        var random = new SeededRandom(12);
        var inputs = new float[3 * TestResidualRegressor.Layout.InputSize];
        var targets = new float[3 * TestResidualRegressor.Layout.OutputSize];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.NextUniform(-1, 1);
        }

        for (var i = 0; i < targets.Length; i++)
        {
            targets[i] = random.NextSingle();
        }

        return (model, inputs, targets);
    }
}
