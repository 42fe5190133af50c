using System;
using System.Linq;
using NetGen.Optimizers;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// A frozen prefix ([Frozen] layers and the layers without parameters before the first trainable one):
/// inference mode in training steps, nothing kept for backward, no backward, no input gradients.
/// </summary>
public sealed class FrozenPrefixTests
{
    private const int Batch = 8;

    [Fact]
    public void TrainingStepRunsTheFrozenPrefixInInferenceMode()
    {
        var model = new FrozenBackboneMlp();
        var (inputs, labels) = Data();
        var buffers = model.Buffers.ToArray();
        var evaluated = model.Evaluate(inputs, labels, new float[Batch * 3]);

        // Running statistics normalise and stay as they are, and the dropout keeps everything, so the
        // training step's loss is the inference loss of the same parameters.
        var trained = model.TrainStep(inputs, labels);

        Assert.Equal(evaluated, trained);
        Assert.Equal(buffers, model.Buffers.ToArray());
        Assert.Contains(model.Output.WeightGradient.ToArray(), g => g != 0);
    }

    [Fact]
    public void TheFrozenPrefixKeepsNothingForBackward()
    {
        // BatchNorm's x̂ (8 per sample) and 1/σ (8 floats) are kept only where it trains in batch mode.
        Assert.Equal(TrainableBackboneMlp.Layout.ActivationsPerSample - 8 - 8, FrozenBackboneMlp.Layout.ActivationsPerSample);
    }

    [Fact]
    public void FrozenBackboneIsBitIdenticalAfterTrainingTheHead()
    {
        var model = new FrozenBackboneMlp();
        var optimizer = new Adam(model, learningRate: 0.05f, weightDecay: 0.1);
        var (inputs, labels) = Data();
        var backbone = model.Parameters[FrozenBackboneMlp.Layout.TrainableParameterCount..].ToArray();
        var head = model.Output.Weight.ToArray();

        for (var step = 0; step < 3; step++)
        {
            model.TrainStep(inputs, labels);
            optimizer.Step(model);
        }

        Assert.Equal(3 * 8 + 3, model.Gradients.Length);
        Assert.Equal(backbone.Select(BitConverter.SingleToInt32Bits), model.Parameters[FrozenBackboneMlp.Layout.TrainableParameterCount..].ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.NotEqual(head, model.Output.Weight.ToArray());
    }

    [Fact]
    public void InputGradientsAreRefusedBecauseTheFrozenPrefixHasNoBackward()
    {
        var model = new FrozenBackboneMlp();

        var refused = Assert.Throws<InvalidOperationException>(() => model.ComputeInputGradients = true);

        Assert.Equal("FrozenBackboneMlp cannot compute input gradients: its frozen prefix ('hidden' … 'drop') has no backward, since [Frozen] compiles it out; to get them, freeze those layers with SetFrozen instead of [Frozen].", refused.Message);
        Assert.False(model.ComputeInputGradients);
    }

    private static (float[] Inputs, int[] Labels) Data()
    {
        var random = new SeededRandom(3);
        var inputs = Enumerable.Range(0, Batch * FrozenBackboneMlp.Layout.InputSize).Select(_ => random.NextUniform(-1, 1)).ToArray();
        var labels = Enumerable.Range(0, Batch).Select(_ => random.NextInt(3)).ToArray();
        return (inputs, labels);
    }
}
