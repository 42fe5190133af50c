using System;
using System.Linq;
using NetGen.Runtime.Tests.Gradients;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// Generated networks that apply a layer's parameters several times ([Reuse]) against finite differences
/// of their own loss: each shared parameter's gradient is the sum over its uses (without the
/// accumulation, the last use's alone, off by far more than the tolerance), and dL/dinput with the input
/// read by two uses. Also: the parameters are laid out, counted and frozen once. One test measures
/// allocation, so the class runs alone.
/// </summary>
[Collection(TrainingStepAllocationCollection.Name)]
public sealed class SharedWeightNetworkTests
{
    [Fact]
    public void TiedVectorGradientsMatchFiniteDifferences()
    {
        var model = new TestTiedVector { ComputeInputGradients = true };
        var inputs = Uniform(4 * TestTiedVector.Layout.InputSize, seed: 9);
        int[] labels = [0, 2, 1, 2];
        model.TrainStep(inputs, labels);
        var parameters = FiniteDifferences.Widen(model.Gradients);
        var input = FiniteDifferences.Widen(model.InputGradients);

        Func<double> loss = () => model.Evaluate(inputs, labels, new float[labels.Length * TestTiedVector.Layout.OutputSize]);
        Assert.True(FiniteDifferences.RelativeError(parameters, FiniteDifferences.Gradient(model.Parameters, loss)) < 2e-3);
        Assert.True(FiniteDifferences.RelativeError(input, FiniteDifferences.Gradient(inputs, loss)) < 2e-3);
    }

    [Fact]
    public void TiedImageGradientsMatchFiniteDifferences()
    {
        var model = new TestTiedImages { ComputeInputGradients = true };
        var inputs = Uniform(3 * TestTiedImages.Layout.InputSize, seed: 4);
        var targets = Uniform(3 * TestTiedImages.Layout.OutputSize, seed: 5);
        model.TrainStep(inputs, targets);
        var parameters = FiniteDifferences.Widen(model.Gradients);
        var input = FiniteDifferences.Widen(model.InputGradients);

        Func<double> loss = () => model.Evaluate(inputs, targets, new float[targets.Length]);
        Assert.True(FiniteDifferences.RelativeError(parameters, FiniteDifferences.Gradient(model.Parameters, loss)) < 2e-3);
        Assert.True(FiniteDifferences.RelativeError(input, FiniteDifferences.Gradient(inputs, loss)) < 1e-2);
    }

    [Fact]
    public void SharedParametersAreLaidOutAndCountedOnce()
    {
        var model = new TestTiedVector();

        Assert.Equal(["block.weight", "block.bias", "output.weight", "output.bias"], model.ParameterLayout.Select(p => p.Name));
        Assert.Equal((6 * 6) + 6 + (3 * 6) + 3, TestTiedVector.Layout.ParameterCount);
        Assert.Same(model.Block, model.BlockAgain);
        Assert.Same(model.Block, model.BlockOnInput);
        var summary = model.Summary();
        Assert.Contains("block_again", summary);
        Assert.Contains("shared", summary);
        Assert.Contains("block's parameters", summary);
        Assert.Contains($"Parameters: {TestTiedVector.Layout.ParameterCount} (trainable: {TestTiedVector.Layout.ParameterCount}, frozen: 0)", summary);
        Assert.Equal([new ParameterRange(0, TestTiedVector.Layout.ParameterCount)], model.TrainableRanges);
    }

    [Fact]
    public void FreezingAnyUseFreezesTheSharedParametersOnce()
    {
        var model = new TestTiedVector();
        var (inputs, labels) = TrainingStepProbe.RandomBatch(model, 4, 3);

        model.SetFrozen("block_again", true);
        model.TrainStep(inputs, labels);

        Assert.True(model.IsFrozen("block") && model.IsFrozen("block_on_input"));
        Assert.Equal([new ParameterRange(TestTiedVector.Layout.OutputWeight, (3 * 6) + 3)], model.TrainableRanges);
        Assert.All(model.Gradients[..TestTiedVector.Layout.OutputWeight].ToArray(), g => Assert.Equal(0f, g));
        Assert.Contains("frozen: 42", model.Summary());

        model.SetFrozen("block", false);
        model.TrainStep(inputs, labels);

        Assert.False(model.IsFrozen("block_again"));
        Assert.Contains(model.Gradients[..TestTiedVector.Layout.OutputWeight].ToArray(), g => g != 0f);
    }

    [Fact]
    public void TiedTrainingStepAllocatesNothingAfterWarmUp()
    {
        var model = new TestTiedVector { ComputeInputGradients = true };
        var (inputs, labels) = TrainingStepProbe.RandomBatch(model, 32, 3);

        Assert.Equal(0, TrainingStepProbe.AllocatedBytes(model, inputs, labels, steps: 3));
    }

    private static float[] Uniform(int length, ulong seed)
    {
        var random = new SeededRandom(seed);
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextUniform(-1, 1);
        }

        return values;
    }
}
