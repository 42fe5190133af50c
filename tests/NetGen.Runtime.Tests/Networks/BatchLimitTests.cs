using System;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>One input feeding 65,536 units: at a batch of 65,537 its activations exceed the largest array.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 3)]
[Input(1)]
public partial class WideFromOne
{
    [Dense(65536)] public partial Dense Wide { get; }
}

/// <summary>Batches whose buffers would not fit in one array: refused up front, the network left as it was.</summary>
public sealed class BatchLimitTests
{
    [Fact]
    public void BatchTooLargeForOneArrayIsRefusedAndTheNetworkStaysUsable()
    {
        var model = new WideFromOne();
        const int tooLarge = 65_537;

        var error = Assert.Throws<ArgumentException>(() => model.TrainStep(new float[tooLarge], new int[tooLarge]));

        Assert.Equal("inputs", error.ParamName);
        Assert.StartsWith(
            $"WideFromOne: a batch of 65537 samples needs 4295032832 floats of activations (65536 per sample), more than the {Array.MaxLength} one array can hold; use batches of at most 32767 samples.",
            error.Message,
            StringComparison.Ordinal);
        Assert.Equal(0, model.TrainingSteps);

        // A batch of 2 then trains exactly as on a network that never saw the large batch.
        var fresh = new WideFromOne();
        float[] inputs = [0.5f, -1.5f];
        int[] labels = [3, 65_000];
        Assert.Equal(fresh.TrainStep(inputs, labels), model.TrainStep(inputs, labels));
        Assert.Equal(fresh.Gradients.ToArray(), model.Gradients.ToArray());
        Assert.Equal(fresh.LastOutputs.ToArray(), model.LastOutputs.ToArray());
    }

    [Fact]
    public void FloatsNamesTheBatchThePerSampleCountAndTheLimit()
    {
        Assert.Equal(Array.MaxLength / 2 * 2, BatchGuard.Floats("Net", "activations", Array.MaxLength / 2, 2));

        var error = Assert.Throws<ArgumentException>(() => BatchGuard.Floats("Net", "staged inputs and targets", 1 << 20, 1L << 12));

        Assert.StartsWith(
            $"Net: a batch of 1048576 samples needs 4294967296 floats of staged inputs and targets (4096 per sample), more than the {Array.MaxLength} one array can hold; use batches of at most {Array.MaxLength / 4096} samples.",
            error.Message,
            StringComparison.Ordinal);
    }
}
