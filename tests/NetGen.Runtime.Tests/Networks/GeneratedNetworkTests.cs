using System;
using System.Linq;
using NetGen.Runtime.Tests.Gradients;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>Generated networks as users see them: views, layout, buffers, allocation, and gradients in float32.</summary>
[Collection(TrainingStepAllocationCollection.Name)]
public sealed class GeneratedNetworkTests
{
    [Fact]
    public void TrainingStepAllocatesNothingAfterTheFirst()
    {
        var model = new TestMlp();
        var (inputs, labels) = TrainingStepProbe.RandomBatch(model, 64, 10);

        Assert.Equal(0, TrainingStepProbe.AllocatedBytes(model, inputs, labels));
    }

    [Fact]
    public void ParameterViewsFollowTheStateDictLayout()
    {
        var model = new TestMlp();

        Assert.Equal(101_770, model.Parameters.Length);
        Assert.Equal(new[] { "hidden.weight", "hidden.bias", "output.weight", "output.bias" }, model.ParameterLayout.Select(p => p.Name));
        Assert.Equal(new[] { 128, 784 }, model.Hidden.Weight.Shape);
        Assert.Equal("hidden", model.Hidden.Name);
        model.Hidden.Weight[3, 5] = 1.25f;
        Assert.Equal(1.25f, model.Parameters[(3 * 784) + 5]);
        Assert.Equal(0f, model.Hidden.Bias!.Value[0]);
    }

    [Fact]
    public void SameSeedGivesSameParametersAndDifferentSeedsDiffer()
    {
        var a = new TestMlp();
        var b = new TestMlp();
        Assert.True(a.Parameters.SequenceEqual(b.Parameters));

        b.ResetParameters(7);
        Assert.False(a.Parameters.SequenceEqual(b.Parameters));
    }

    [Fact]
    public void WrongInputSizeNamesTheNetworkAndTheSizes()
    {
        var model = new TestMlp();

        var error = Assert.Throws<ArgumentException>(() => model.Forward(new float[100], new float[10]));

        Assert.Contains("TestMlp: inputs hold 100 floats, which is not a positive whole number of samples of 784", error.Message);
    }

    [Fact]
    public void OutOfRangeLabelIsRejected()
    {
        var model = new TestMlp();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.TrainStep(new float[2 * 784], [3, 10]));

        Assert.Contains("labels[1] = 10 is outside [0, 10)", error.Message);
    }

    [Fact]
    public void GeneratedGradientsMatchFiniteDifferencesOfTheGeneratedLoss()
    {
        // float32 end to end, so the tolerance is float32's, not the float64 kernels' 1e-6.
        var model = new TestRegressor();
        var random = new SeededRandom(5);
        var inputs = new float[4 * TestRegressor.Layout.InputSize];
        var targets = new float[4 * TestRegressor.Layout.OutputSize];
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
