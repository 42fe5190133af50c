using System;
using System.Linq;
using NetGen.Optimizers;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>Training mode, Dropout, BatchNorm buffers and frozen layers in generated networks.</summary>
[Collection(TrainingStepAllocationCollection.Name)]
public sealed class RegularisationTests
{
    private const int Batch = 16;

    [Fact]
    public void DropoutIsTheIdentityInInferenceAndDropsInTraining()
    {
        var plain = new PlainMlp();
        var dropped = new DroppedMlp();
        var (inputs, labels) = Data(PlainMlp.Layout.InputSize, 3);
        var expected = new float[Batch * 3];
        var actual = new float[Batch * 3];

        plain.Forward(inputs, expected);
        dropped.Forward(inputs, actual);
        Assert.Equal(expected, actual);

        plain.TrainStep(inputs, labels);
        dropped.TrainStep(inputs, labels);
        Assert.False(plain.Gradients.SequenceEqual(dropped.Gradients));
    }

    [Fact]
    public void SameSeedGivesTheSameMasksAndLaterStepsDrawNewOnes()
    {
        var a = new DroppedMlp();
        var b = new DroppedMlp();
        var (inputs, labels) = Data(DroppedMlp.Layout.InputSize, 3);

        a.TrainStep(inputs, labels);
        b.TrainStep(inputs, labels);
        Assert.True(a.Gradients.SequenceEqual(b.Gradients));

        var first = a.Gradients.ToArray();
        a.TrainStep(inputs, labels);
        Assert.False(first.AsSpan().SequenceEqual(a.Gradients));
    }

    [Fact]
    public void BatchNormStatisticsAreBuffersThatOnlyTrainingUpdates()
    {
        var model = new RegularisedMlp();
        var (inputs, labels) = Data(RegularisedMlp.Layout.InputSize, 3);

        Assert.Equal(new[] { "norm.running_mean", "norm.running_var" }, model.BufferLayout.Select(b => b.Name));
        Assert.DoesNotContain(model.ParameterLayout, p => p.Name.StartsWith("norm.running", StringComparison.Ordinal));
        Assert.Equal(new float[8], model.Norm.RunningMean.ToArray());
        Assert.Equal(Enumerable.Repeat(1f, 8), model.Norm.RunningVar.ToArray());
        Assert.Equal(1f, model.Norm.Weight[0]);

        model.Forward(inputs, new float[Batch * 3]);
        Assert.Equal(new float[8], model.Buffers[..8].ToArray());

        model.TrainStep(inputs, labels);
        Assert.Contains(model.Buffers[..8].ToArray(), v => v != 0);
    }

    [Fact]
    public void FrozenLayerStaysUnchangedUnderAdamWithWeightDecayWhileOthersTrain()
    {
        var model = new RegularisedMlp();
        var optimizer = new Adam(model, learningRate: 0.05f, weightDecay: 0.1);
        var (inputs, labels) = Data(RegularisedMlp.Layout.InputSize, 3);
        var middle = model.ParameterLayout.Where(p => p.Name.StartsWith("middle.", StringComparison.Ordinal)).ToArray();
        var frozenBefore = Slice(model.Parameters, middle);
        var hiddenBefore = model.Hidden.Weight.ToArray();

        Assert.Equal(RegularisedMlp.Layout.ParameterCount - (8 * 8) - 8, RegularisedMlp.Layout.TrainableParameterCount);
        Assert.True(model.IsFrozen("middle"));
        for (var step = 0; step < 3; step++)
        {
            model.TrainStep(inputs, labels);
            optimizer.Step(model);
        }

        // Bit for bit: the layer has no gradient and no optimizer state, so nothing can move it.
        Assert.Equal(frozenBefore.Select(BitConverter.SingleToInt32Bits), Slice(model.Parameters, middle).Select(BitConverter.SingleToInt32Bits));
        Assert.NotEqual(hiddenBefore, model.Hidden.Weight.ToArray());
        Assert.DoesNotContain(model.TrainableRanges, r => r.Offset <= middle[0].Offset && middle[0].Offset < r.Offset + r.Length);
    }

    [Fact]
    public void FreezingAtRunTimeClearsGradientsAndStopsBackwardEarly()
    {
        var model = new RegularisedMlp();
        var (inputs, labels) = Data(RegularisedMlp.Layout.InputSize, 3);
        model.TrainStep(inputs, labels);
        Assert.Contains(model.Hidden.WeightGradient.ToArray(), g => g != 0);

        model.SetFrozen("hidden", true);
        Assert.All(model.Hidden.WeightGradient.ToArray(), g => Assert.Equal(0f, g));
        var hidden = model.Hidden.Weight.ToArray();
        var optimizer = new Sgd(model, learningRate: 0.1f, momentum: 0.9, weightDecay: 0.01);
        model.TrainStep(inputs, labels);
        optimizer.Step(model);

        Assert.All(model.Hidden.WeightGradient.ToArray(), g => Assert.Equal(0f, g));
        Assert.Equal(hidden, model.Hidden.Weight.ToArray());
        Assert.Contains(model.Norm.WeightGradient.ToArray(), g => g != 0);
        Assert.Single(model.TrainableRanges);

        model.SetFrozen("hidden", false);
        model.TrainStep(inputs, labels);
        Assert.Contains(model.Hidden.WeightGradient.ToArray(), g => g != 0);
    }

    [Fact]
    public void FrozenLayerHasNoGradientsAndNoOptimizerState()
    {
        var model = new RegularisedMlp();
        var adam = new Adam(model);
        var trainable = RegularisedMlp.Layout.TrainableParameterCount;

        // hidden 56, norm 16 and output 27 are trained; the frozen middle layer's 72 lie after them.
        Assert.Equal(56 + 16 + 27, trainable);
        Assert.Equal(trainable, model.Gradients.Length);
        Assert.Equal(trainable, adam.ParameterCount);
        Assert.Equal(new[] { ("exp_avg", trainable), ("exp_avg_sq", trainable) }, adam.State.Select(s => (s.Name, s.Values.Length)));
        Assert.Equal(RegularisedMlp.Layout.MiddleWeight, trainable);
        Assert.Equal(RegularisedMlp.Layout.ParameterCount, model.Parameters.Length);
        var absent = Assert.Throws<InvalidOperationException>(() => model.Middle.WeightGradient.ToArray());
        Assert.Contains("Layer 'middle' is marked [Frozen], so it has no gradients", absent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LayerMarkedFrozenCannotBeThawed()
    {
        var model = new RegularisedMlp();
        model.SetFrozen("middle", true);

        var thaw = Assert.Throws<InvalidOperationException>(() => model.SetFrozen("middle", false));

        Assert.Equal("Layer 'middle' of RegularisedMlp is marked [Frozen], so it has no gradients or optimizer state and cannot be thawed; to fine-tune it later, remove [Frozen] and call SetFrozen(\"middle\", true) until then.", thaw.Message);
        Assert.True(model.IsFrozen("middle"));
    }

    [Fact]
    public void SetFrozenNamesTheProblem()
    {
        var model = new RegularisedMlp();

        var unknown = Assert.Throws<ArgumentException>(() => model.SetFrozen("nope", true));
        var parameterless = Assert.Throws<ArgumentException>(() => model.SetFrozen("drop", true));

        Assert.Contains("RegularisedMlp has no layer 'nope'; its layers are hidden, middle, norm, drop, output", unknown.Message);
        Assert.Contains("Layer 'drop' of RegularisedMlp has no parameters to freeze", parameterless.Message);
    }

    [Fact]
    public void TrainingStepWithDropoutAndBatchNormAllocatesNothingAfterTheFirst()
    {
        var model = new RegularisedMlp();
        var (inputs, labels) = Data(RegularisedMlp.Layout.InputSize, 3);

        Assert.Equal(0, TrainingStepProbe.AllocatedBytes(model, inputs, labels));
    }

    [Fact]
    public void LabelSmoothingChangesTheTargetsOfTrainingAndEvaluation()
    {
        var plain = new PlainMlp();
        var smoothed = new SmoothedMlp();
        var (inputs, labels) = Data(PlainMlp.Layout.InputSize, 3);
        var logits = new float[Batch * 3];
        plain.Forward(inputs, logits);

        // −Σ_c y′_c·log softmax(z)_c with y′ = 0.8·onehot + 0.2 / 3, from the unsmoothed network's logits.
        var expected = 0.0;
        for (var b = 0; b < Batch; b++)
        {
            var row = logits.AsSpan(b * 3, 3).ToArray();
            var logSum = Math.Log(row.Sum(z => Math.Exp(z)));
            for (var c = 0; c < 3; c++)
            {
                var target = (0.8 * (labels[b] == c ? 1 : 0)) + (0.2 / 3);
                expected -= target * (row[c] - logSum) / Batch;
            }
        }

        Assert.Equal(expected, smoothed.Evaluate(inputs, labels, new float[Batch * 3]), 5);
        Assert.Equal(expected, smoothed.TrainStep(inputs, labels), 5);
        Assert.NotEqual(plain.TrainStep(inputs, labels), smoothed.TrainStep(inputs, labels), 3);
        Assert.False(plain.Gradients.SequenceEqual(smoothed.Gradients));
        Assert.Contains("label smoothing 0.2", smoothed.Summary(), StringComparison.Ordinal);
    }

    private static float[] Slice(Span<float> values, ParameterInfo[] tensors)
    {
        var array = values.ToArray();
        return tensors.SelectMany(t => array.AsSpan(t.Offset, t.Length).ToArray()).ToArray();
    }

    private static (float[] Inputs, int[] Labels) Data(int inputSize, int classes)
    {
        var random = new SeededRandom(17);
        var inputs = new float[Batch * inputSize];
        var labels = new int[Batch];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.NextUniform(-1, 1);
        }

        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = random.NextInt(classes);
        }

        return (inputs, labels);
    }
}
