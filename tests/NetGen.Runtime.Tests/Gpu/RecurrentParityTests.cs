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
/// LSTM, GRU and SimpleRNN (tanh and ReLU) on the OpenCL device (PoCL in CI) against the CPU, each returning
/// the last step and every step, bidirectional, and stacked (two layers returning sequences into one another,
/// NumLayers with dropout between layers): forward outputs, loss, every parameter gradient and the step after
/// one batch, then the losses and parameters of a few training steps.
/// </summary>
public sealed class RecurrentParityTests(ITestOutputHelper output)
{
    /// <summary>Float32 sums in a different order (tiles vs SIMD lanes) differ by a few ulps per term.</summary>
    private const double Tolerance = 1e-4;

    /// <summary>A few steps compound those differences through the parameters; still far below any missing or doubled gradient term.</summary>
    private const double TrainingTolerance = 1e-3;

    private const int Batch = 7;

    private static readonly Dictionary<string, Func<int[], ParityReport>> Networks = new()
    {
        [nameof(TorchLstmLast)] = labels => Measure(() => new TorchLstmLast(), n => n.ToDevice(Device.OpenCL()), labels),
        [nameof(TorchLstmSequences)] = labels => Measure(() => new TorchLstmSequences(), n => n.ToDevice(Device.OpenCL()), labels),
        [nameof(TorchLstmBidirectionalLast)] = labels => Measure(() => new TorchLstmBidirectionalLast(), n => n.ToDevice(Device.OpenCL()), labels),
        [nameof(TorchLstmBidirectionalSequences)] = labels => Measure(() => new TorchLstmBidirectionalSequences(), n => n.ToDevice(Device.OpenCL()), labels),
        [nameof(TorchLstmStacked)] = labels => Measure(() => new TorchLstmStacked(), n => n.ToDevice(Device.OpenCL()), labels),
        [nameof(TorchLstmTwoLayersBidirectional)] = labels => Measure(() => new TorchLstmTwoLayersBidirectional(), n => n.ToDevice(Device.OpenCL()), labels),
        [nameof(TorchGruLast)] = labels => Measure(() => new TorchGruLast(), n => n.ToDevice(Device.OpenCL()), labels),
        [nameof(TorchGruSequences)] = labels => Measure(() => new TorchGruSequences(), n => n.ToDevice(Device.OpenCL()), labels),
        [nameof(TorchGruBidirectionalLast)] = labels => Measure(() => new TorchGruBidirectionalLast(), n => n.ToDevice(Device.OpenCL()), labels),
        [nameof(TorchGruTwoLayersSequences)] = labels => Measure(() => new TorchGruTwoLayersSequences(), n => n.ToDevice(Device.OpenCL()), labels),
        [nameof(TorchRnnTanhLast)] = labels => Measure(() => new TorchRnnTanhLast(), n => n.ToDevice(Device.OpenCL()), labels),
        [nameof(TorchRnnReluSequences)] = labels => Measure(() => new TorchRnnReluSequences(), n => n.ToDevice(Device.OpenCL()), labels),
        [nameof(TorchRnnBidirectionalLast)] = labels => Measure(() => new TorchRnnBidirectionalLast(), n => n.ToDevice(Device.OpenCL()), labels),
        [nameof(RnnThreeLayersDropout)] = labels => Measure(() => new RnnThreeLayersDropout(), n => n.ToDevice(Device.OpenCL()), labels),
    };

    public static TheoryData<string> Names => [.. Networks.Keys];

    [OpenClTheory]
    [MemberData(nameof(Names))]
    public void RecurrentNetworkMatchesTheCpu(string network)
    {
        var report = Networks[network](DeviceParity.Labels(Batch, 3, seed: 61));
        output.WriteLine("max relative error: " + report);
        Assert.True(report.Max < Tolerance, $"OpenCL departs from the CPU by more than {Tolerance}: {report}");
    }

    [OpenClFact]
    public void BidirectionalLstmTrainsAsOnTheCpu() => TrainsAsOnTheCpu(new TorchLstmBidirectionalSequences(), n => n.ToDevice(Device.OpenCL()));

    [OpenClFact]
    public void StackedGruTrainsAsOnTheCpu() => TrainsAsOnTheCpu(new TorchGruTwoLayersSequences(), n => n.ToDevice(Device.OpenCL()));

    [OpenClFact]
    public void SimpleRnnWithDropoutBetweenLayersTrainsAsOnTheCpu() => TrainsAsOnTheCpu(new RnnThreeLayersDropout(), n => n.ToDevice(Device.OpenCL()));

    private static ParityReport Measure<TNetwork>(Func<TNetwork> create, Func<TNetwork, GpuNetwork> toDevice, int[] labels)
        where TNetwork : INetwork =>
        DeviceParity.Measure(create, toDevice, (n, x) => n.TrainStep(x, labels), count => new Adam(count, 0.01f), batch: Batch, seed: 62);

    // One batch, five Adam steps: the loss must fall on both sides, in step, and the parameters stay together.
    private void TrainsAsOnTheCpu<TNetwork>(TNetwork cpu, Func<TNetwork, GpuNetwork> toDevice)
        where TNetwork : INetwork
    {
        using var device = toDevice(cpu);
        INetwork gpu = device;
        var cpuOptimizer = new Adam(cpu.Gradients.Length, 0.01f);
        var gpuOptimizer = new Adam(cpu.Gradients.Length, 0.01f);
        var inputs = DeviceParity.Random(Batch * cpu.InputSize, seed: 63);
        var labels = DeviceParity.Labels(Batch, 3, seed: 64);
        float first = 0, last = 0;
        for (var step = 0; step < 5; step++)
        {
            var cpuLoss = cpu.TrainStep(inputs, labels);
            var gpuLoss = gpu.TrainStep(inputs, labels);
            cpuOptimizer.Step(cpu);
            gpuOptimizer.Step(gpu);
            var error = DeviceParity.MaxRelativeError([cpuLoss], [gpuLoss]);
            output.WriteLine($"step {step}: CPU loss {cpuLoss}, device loss {gpuLoss}, relative error {error:E2}");
            Assert.True(error < TrainingTolerance, $"Step {step}: the device loss {gpuLoss} departs from the CPU's {cpuLoss} by {error:E2}");
            (first, last) = (step == 0 ? gpuLoss : first, gpuLoss);
        }

        Assert.True(last < first, $"Five steps on one batch did not lower the device loss: {first} → {last}");
        var parameters = DeviceParity.MaxRelativeError(cpu.Parameters.ToArray(), gpu.Parameters.ToArray());
        output.WriteLine($"parameters after five steps: relative error {parameters:E2}");
        Assert.True(parameters < TrainingTolerance, $"After five steps the device parameters depart from the CPU's by {parameters:E2}");
    }
}
