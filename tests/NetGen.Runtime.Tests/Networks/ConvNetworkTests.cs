using System;
using System.Linq;
using NetGen.Runtime.Tests.Gradients;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>Generated convolutional networks: allocation, layout and float32 gradients end to end.</summary>
[Collection(TrainingStepAllocationCollection.Name)]
public sealed class ConvNetworkTests
{
    [Fact]
    public void MnistCnnTrainingStepAllocatesNothingAfterWarmUp()
    {
        var model = new TestMnistCnn();
        var (inputs, labels) = TrainingStepProbe.RandomBatch(model, 64, 10);

        Assert.Equal(0, TrainingStepProbe.AllocatedBytes(model, inputs, labels, steps: 3));
    }

    [Fact]
    public void MnistCnnFollowsThePyTorchStateDictLayout()
    {
        var model = new TestMnistCnn();

        Assert.Equal(
            new[] { "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "hidden.weight", "hidden.bias", "output.weight", "output.bias" },
            model.ParameterLayout.Select(p => p.Name));
        Assert.Equal((16 * 9) + 16 + (32 * 16 * 9) + 32 + (128 * 800) + 128 + (128 * 10) + 10, model.Parameters.Length);
        Assert.Equal(new[] { 32, 16, 3, 3 }, model.Conv2.Weight.Shape);
        Assert.Equal(new[] { 10 }, model.OutputShape);
        Assert.Empty(model.Pool1.Parameters);
    }

    [Fact]
    public void GeneratedGradientsMatchFiniteDifferencesOfTheGeneratedLoss()
    {
        // float32 end to end, so the tolerance is float32's, not the float64 kernels' 1e-6.
        var model = new TestConvRegressor();
        var random = new SeededRandom(6);
        var inputs = new float[3 * TestConvRegressor.Layout.InputSize];
        var targets = new float[3 * TestConvRegressor.Layout.OutputSize];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.NextUniform(-1, 1);
        }

        for (var i = 0; i < targets.Length; i++)
        {
            targets[i] = random.NextSingle();
        }

        model.TrainStep(inputs, targets);
        var analytic = FiniteDifferences.Widen(model.Gradients);
        var outputs = new float[targets.Length];
        var numeric = FiniteDifferences.Gradient(model.Parameters, () => model.Evaluate(inputs, targets, outputs));

        Assert.True(FiniteDifferences.RelativeError(analytic, numeric) < 2e-3);
    }
}
