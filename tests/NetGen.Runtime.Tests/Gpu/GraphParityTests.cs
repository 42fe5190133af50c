using System.Linq;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Skips;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>
/// Graph networks (residual Add, projection shortcut, Concat, Identity, gradient sums of shared
/// tensors) on the OpenCL device (PoCL in CI) against the CPU: forward outputs, loss, every parameter
/// gradient and the step after one batch, then the losses and parameters of a few training steps.
/// </summary>
public sealed class GraphParityTests
{
    /// <summary>Float32 sums in a different order (tiles vs SIMD lanes) differ by a few ulps per term.</summary>
    private const double Tolerance = 1e-4;

    /// <summary>A few steps compound those differences through the parameters; still far below any missing or doubled gradient term.</summary>
    private const double TrainingTolerance = 1e-3;

    private readonly ITestOutputHelper _output;

    public GraphParityTests(ITestOutputHelper output) => _output = output;

    [OpenClFact]
    public void ResidualNetworkMatchesTheCpu()
    {
        var labels = DeviceParity.Labels(9, 3, seed: 31);
        var report = DeviceParity.Measure(
            () => new GpuResidual(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, labels),
            count => new Sgd(count, 0.1f, momentum: 0.9), batch: 9, seed: 32);
        Check(report);
    }

    [OpenClFact]
    public void VectorGraphWithAdamMatchesTheCpu()
    {
        var labels = DeviceParity.Labels(17, 2, seed: 33);
        var report = DeviceParity.Measure(
            () => new GpuVectorGraph(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, labels),
            count => new Adam(count, 0.01f), batch: 17, seed: 34,
            // Inputs in [-4, 4]: some ReLU6 pre-activations pass 6, so the clamp's zero gradient is summed too.
            inputs: [.. DeviceParity.Random(17 * GpuVectorGraph.Layout.InputSize, seed: 34).Select(v => 4 * v)]);
        Check(report);
    }

    [OpenClFact]
    public void ResidualNetworkTrainsAsOnTheCpu()
    {
        var cpu = new GpuResidual();
        using var gpu = cpu.ToDevice(Device.OpenCL());
        var cpuOptimizer = new Sgd(GpuResidual.Layout.ParameterCount, 0.05f, momentum: 0.9);
        var gpuOptimizer = new Sgd(GpuResidual.Layout.ParameterCount, 0.05f, momentum: 0.9);
        float first = 0, last = 0;
        for (var step = 0; step < 5; step++)
        {
            // One batch, five steps: the loss must fall on both sides, in step.
            var inputs = DeviceParity.Random(8 * GpuResidual.Layout.InputSize, seed: 40);
            var labels = DeviceParity.Labels(8, 3, seed: 41);
            var cpuLoss = cpu.TrainStep(inputs, labels);
            var gpuLoss = gpu.TrainStep(inputs, labels);
            cpuOptimizer.Step(cpu);
            gpuOptimizer.Step(gpu);
            var error = DeviceParity.MaxRelativeError([cpuLoss], [gpuLoss]);
            _output.WriteLine($"step {step}: CPU loss {cpuLoss}, device loss {gpuLoss}, relative error {error:E2}");
            Assert.True(error < TrainingTolerance, $"Step {step}: the device loss {gpuLoss} departs from the CPU's {cpuLoss} by {error:E2}");
            (first, last) = (step == 0 ? gpuLoss : first, gpuLoss);
        }

        Assert.True(last < first, $"Five steps on one batch did not lower the device loss: {first} → {last}");
        var parameters = DeviceParity.MaxRelativeError(cpu.Parameters.ToArray(), ((INetwork)gpu).Parameters.ToArray());
        _output.WriteLine($"parameters after five steps: relative error {parameters:E2}");
        Assert.True(parameters < TrainingTolerance, $"After five steps the device parameters depart from the CPU's by {parameters:E2}");
    }

    private void Check(ParityReport report)
    {
        _output.WriteLine("max relative error: " + report);
        Assert.True(report.Max < Tolerance, $"OpenCL departs from the CPU by more than {Tolerance}: {report}");
    }
}
