using System;
using System.Collections.Generic;
using NetGen.Gpu;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Networks;
using NetGen.Runtime.Tests.Skips;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>
/// Recurrent layers with MaskPadding on the OpenCL device (PoCL in CI) against the CPU, over a batch of token ids padded at
/// the end to lengths from 1 to every step: LSTM, GRU and SimpleRNN, one direction and both, the last step and every step,
/// stacked by NumLayers and declared one above another through a Dropout and a per-step Dense, and the mean over each
/// sample's real steps (GlobalAveragePool1D with MaskPadding) above a masked LSTM and above a per-step Dense. Forward outputs, loss, every
/// parameter gradient and the step after one batch; a sample of padding only is the CPU's error before any launch.
/// </summary>
public sealed class MaskedRecurrentParityTests(ITestOutputHelper output)
{
    /// <summary>Float32 sums in a different order (tiles vs SIMD lanes) differ by a few ulps per term.</summary>
    private const double Tolerance = 1e-4;

    private const int Batch = 7;

    private static readonly Dictionary<string, Func<ParityReport>> Networks = new()
    {
        [nameof(TorchEmbeddingMasked)] = () => Measure(() => new TorchEmbeddingMasked(), n => n.ToDevice(Device.OpenCL()), 6, 11, 3),
        [nameof(TorchEmbeddingMaskedStack)] = () => Measure(() => new TorchEmbeddingMaskedStack(), n => n.ToDevice(Device.OpenCL()), 6, 11, 3),
        [nameof(TorchEmbeddingMaskedStackSequences)] = () => Measure(() => new TorchEmbeddingMaskedStackSequences(), n => n.ToDevice(Device.OpenCL()), 6, 11, 3),
        [nameof(GpuMaskedGru)] = () => Measure(() => new GpuMaskedGru(), n => n.ToDevice(Device.OpenCL()), 8, 9, 3),
        [nameof(GpuMaskedRnnSequences)] = () => Measure(() => new GpuMaskedRnnSequences(), n => n.ToDevice(Device.OpenCL()), 8, 9, 3),
        [nameof(TokenMaskedStack)] = () => Measure(() => new TokenMaskedStack(), n => n.ToDevice(Device.OpenCL()), 20, 10, 10),
        [nameof(TorchEmbeddingMaskedMean)] = () => Measure(() => new TorchEmbeddingMaskedMean(), n => n.ToDevice(Device.OpenCL()), 6, 11, 3),
        [nameof(TokenPerStepMaskedMean)] = () => Measure(() => new TokenPerStepMaskedMean(), n => n.ToDevice(Device.OpenCL()), 7, 10, 3),
    };

    public static TheoryData<string> Names => [.. Networks.Keys];

    [OpenClTheory]
    [MemberData(nameof(Names))]
    public void MaskedRecurrentNetworkMatchesTheCpu(string network)
    {
        var report = Networks[network]();
        output.WriteLine("max relative error: " + report);
        Assert.True(report.Max < Tolerance, $"OpenCL departs from the CPU by more than {Tolerance}: {report}");
    }

    [OpenClFact]
    public void SampleOfPaddingOnlyIsTheCpusErrorBeforeAnyLaunch()
    {
        using var gpu = new TorchEmbeddingMaskedStack().ToDevice(Device.OpenCL());
        INetwork device = gpu;
        var before = device.Parameters.ToArray();
        float[] inputs = [4, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

        var error = Assert.Throws<ArgumentException>(() => device.TrainStep(inputs, [0, 1]));

        Assert.StartsWith("Layer 'lstm': sample 1 holds only the padding id 0, so it has no step to read; every sequence needs at least one token.", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, gpu.TrainingSteps);
        Assert.Equal(before, device.Parameters.ToArray());
    }

    // SGD, not Adam: a stack's gradient sums can cancel to ~1e-8 (a bias of layer 0), where Adam's g / (|g| + ε) turns the
    // few-ulp difference of the two sums' orders into a visible step; SGD keeps the step as close as the gradients are.
    private static ParityReport Measure<TNetwork>(Func<TNetwork> create, Func<TNetwork, GpuNetwork> toDevice, int steps, int vocabulary, int classes)
        where TNetwork : INetwork =>
        DeviceParity.Measure(
            create, toDevice, (n, x) => n.TrainStep(x, DeviceParity.Labels(Batch, classes, seed: 71)), count => new Sgd(count, 0.1f),
            batch: Batch, seed: 72, inputs: PaddedTokens(steps, vocabulary, seed: 73));

    /// <summary>Ids in [1, vocabulary), sample b padded with 0 after (b mod steps) + 1 of them: lengths from one step to every step.</summary>
    private static float[] PaddedTokens(int steps, int vocabulary, int seed)
    {
        var ids = DeviceParity.Labels(Batch * steps, vocabulary - 1, seed);
        var tokens = new float[Batch * steps];
        for (var b = 0; b < Batch; b++)
        {
            var length = (b % steps) + 1;
            for (var t = 0; t < length; t++)
            {
                tokens[(b * steps) + t] = ids[(b * steps) + t] + 1;
            }
        }

        return tokens;
    }
}

/// <summary>Eight token ids of nine (0 the padding) → Embedding → a bidirectional two-layer GRU skipping the padding, dropout between → Dense(3).</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(8)]
public partial class GpuMaskedGru
{
    [Embedding(9, 5, PaddingIndex = 0)] public partial Embedding Embedding { get; }

    [GRU(6, NumLayers = 2, Bidirectional = true, Dropout = 0.3, MaskPadding = true)] public partial GRU Gru { get; }

    [Dense(3)] public partial Dense Output { get; }
}

/// <summary>Eight token ids of nine (0 the padding) → Embedding → a ReLU SimpleRNN skipping the padding, every step (zero at padded ones) → Flatten → Dense(3).</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(8)]
public partial class GpuMaskedRnnSequences
{
    [Embedding(9, 4, PaddingIndex = 0)] public partial Embedding Embedding { get; }

    [SimpleRNN(5, Activation.ReLU, ReturnSequences = true, MaskPadding = true)] public partial SimpleRNN Rnn { get; }

    [Flatten] public partial Flatten Flatten { get; }

    [Dense(3)] public partial Dense Output { get; }
}
