using System;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Skips;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>
/// Embedding and GlobalAveragePool1D on the OpenCL device (PoCL in CI) against the CPU: outputs, loss,
/// every gradient, optimizer steps; the embedding gradient the same from run to run (no atomics); ids
/// outside the vocabulary refused with the CPU's error.
/// </summary>
public sealed class TokenParityTests(ITestOutputHelper output)
{
    /// <summary>Float32 sums in a different order (tiles vs SIMD lanes) differ by a few ulps per term.</summary>
    private const double Tolerance = 1e-4;

    [OpenClFact]
    public void EmbeddingPerStepDenseMatchesTheCpu()
    {
        const int Batch = 9;
        var report = DeviceParity.Measure(
            () => new GpuTokenPerStep(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, DeviceParity.Labels(Batch, 3, seed: 61)),
            count => new Adam(count, 0.01f), batch: Batch, seed: 62, inputs: Tokens(Batch * 6, GpuTokenPerStep.Vocabulary, seed: 63));
        output.WriteLine("max relative error: " + report);
        Assert.True(report.Max < Tolerance, $"OpenCL departs from the CPU by more than {Tolerance}: {report}");
    }

    [OpenClFact]
    public void EmbeddingMeanOverStepsDenseMatchesTheCpu()
    {
        const int Batch = 11;
        var report = DeviceParity.Measure(
            () => new GpuTokenMean(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, DeviceParity.Labels(Batch, 4, seed: 64)),
            count => new Sgd(count, 0.1f), batch: Batch, seed: 65, inputs: Tokens(Batch * 7, GpuTokenMean.Vocabulary, seed: 66));
        output.WriteLine("max relative error: " + report);
        Assert.True(report.Max < Tolerance, $"OpenCL departs from the CPU by more than {Tolerance}: {report}");
    }

    [OpenClFact]
    public void EmbeddingGradientIsTheSameEveryRunAndKeepsThePaddingRowZero()
    {
        // 8 ids over 12 × 7 positions: every row is scattered into many times, where float atomics would reorder the sums.
        const int Batch = 12;
        var inputs = Tokens(Batch * 7, GpuTokenMean.Vocabulary, seed: 67);
        var labels = DeviceParity.Labels(Batch, 4, seed: 68);
        var cpu = new GpuTokenMean();
        cpu.TrainStep(inputs, labels);
        using var gpu = new GpuTokenMean().ToDevice(Device.OpenCL());
        INetwork device = gpu;

        device.TrainStep(inputs, labels);
        var first = device.Gradients.ToArray();
        device.TrainStep(inputs, labels);
        var second = device.Gradients.ToArray();

        var rows = cpu.Embedding.WeightGradient.ToArray();
        var offset = cpu.ParameterLayout[0].Offset;
        var error = DeviceParity.MaxRelativeError(rows, first.AsSpan(offset, rows.Length).ToArray());
        Assert.True(error < Tolerance, $"the embedding gradient departs from the CPU's by {error:E2}");
        Assert.Equal(first, second);
        Assert.All(first.AsSpan(offset + (GpuTokenMean.Padding * 5), 5).ToArray(), value => Assert.Equal(0f, value));
        Assert.Contains(first.AsSpan(offset, rows.Length).ToArray(), value => value != 0);
    }

    [OpenClFact]
    public void TrainingStepsFollowTheCpuAndThePaddingRowNeverMoves()
    {
        const int Batch = 10;
        var inputs = Tokens(Batch * 7, GpuTokenMean.Vocabulary, seed: 69);
        var labels = DeviceParity.Labels(Batch, 4, seed: 70);
        var cpu = new GpuTokenMean();
        using var gpu = new GpuTokenMean().ToDevice(Device.OpenCL());
        INetwork device = gpu;
        var cpuAdam = new Adam(cpu.Gradients.Length, 0.05f);
        var gpuAdam = new Adam(cpu.Gradients.Length, 0.05f);

        var worst = 0.0;
        for (var step = 0; step < 5; step++)
        {
            var cpuLoss = cpu.TrainStep(inputs, labels);
            var gpuLoss = device.TrainStep(inputs, labels);
            cpuAdam.Step(cpu);
            gpuAdam.Step(device);
            worst = Math.Max(worst, Math.Max(DeviceParity.MaxRelativeError([cpuLoss], [gpuLoss]), DeviceParity.MaxRelativeError(cpu.Parameters.ToArray(), device.Parameters.ToArray())));
        }

        output.WriteLine($"max relative error of losses and parameters over 5 Adam steps: {worst:E2}");
        Assert.True(worst < Tolerance, $"OpenCL departs from the CPU by {worst:E2}");
        var offset = cpu.ParameterLayout[0].Offset;
        Assert.All(device.Parameters.Slice(offset + (GpuTokenMean.Padding * 5), 5).ToArray(), value => Assert.Equal(0f, value));
    }

    [OpenClFact]
    public void IdOutsideTheVocabularyIsTheCpusErrorBeforeAnyLaunch()
    {
        using var gpu = new GpuTokenMean().ToDevice(Device.OpenCL());
        INetwork device = gpu;
        var before = device.Parameters.ToArray();
        foreach (var (token, text) in new[] { (8f, "8"), (-1f, "-1"), (1.5f, "1.5"), (float.NaN, "NaN") })
        {
            var inputs = new float[2 * 7];
            inputs[9] = token;

            var error = Assert.Throws<ArgumentOutOfRangeException>(() => device.TrainStep(inputs, new[] { 0, 1 }));

            Assert.StartsWith($"Embedding 'embedding': input value {text} at position 9 is not a token id in [0, 8)", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, gpu.TrainingSteps);
        Assert.Equal(before, device.Parameters.ToArray());
    }

    /// <summary>Token ids as the network input holds them: whole floats in [0, vocabulary).</summary>
    private static float[] Tokens(int count, int vocabulary, int seed) => Array.ConvertAll(DeviceParity.Labels(count, vocabulary, seed), id => (float)id);
}

/// <summary>Six token ids, embedded in 4 values each, a Tanh Dense at each step, averaged over the steps (whose backward applies the Tanh′), a classifier.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 6)]
[Input(6)]
public partial class GpuTokenPerStep
{
    public const int Vocabulary = 13;

    [Embedding(Vocabulary, 4)] public partial Embedding Embedding { get; }

    [Dense(3, Activation.Tanh, PerStep = true)] public partial Dense Projection { get; }

    [GlobalAveragePool1D] public partial GlobalAveragePool1D Mean { get; }

    [Dense(3)] public partial Dense Output { get; }
}

/// <summary>Seven token ids of eight (id 2 the padding), embedded in 5 values each, averaged over the steps, a classifier.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 7)]
[Input(7)]
public partial class GpuTokenMean
{
    public const int Vocabulary = 8;

    public const int Padding = 2;

    [Embedding(Vocabulary, 5, PaddingIndex = Padding)] public partial Embedding Embedding { get; }

    [GlobalAveragePool1D] public partial GlobalAveragePool1D Mean { get; }

    [Dense(4)] public partial Dense Output { get; }
}
