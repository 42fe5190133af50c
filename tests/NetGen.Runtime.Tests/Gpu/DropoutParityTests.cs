using NetGen.Gpu;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Skips;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>
/// Dropout on the OpenCL device draws the CPU's masks: the same seed, layer and training step give
/// the same dropped values, so forward, loss, gradients and a step match the CPU within float32
/// tolerance. With half the values dropped, one mask bit that differs moves the gradients by far more.
/// </summary>
public sealed class DropoutParityTests
{
    private const double Tolerance = 1e-4;

    private readonly ITestOutputHelper _output;

    public DropoutParityTests(ITestOutputHelper output) => _output = output;

    [OpenClFact]
    public void DenseDropoutDenseWithAdamMatchesTheCpu()
    {
        var labels = DeviceParity.Labels(31, 3, seed: 15);
        var report = DeviceParity.Measure(
            () => new GpuDropped(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, labels),
            count => new Adam(count, 0.01f), batch: 31, seed: 16);
        _output.WriteLine("max relative error: " + report);
        Assert.True(report.Max < Tolerance, $"OpenCL departs from the CPU by more than {Tolerance}: {report}");
    }

    [OpenClFact]
    public void MasksFollowTheTrainingStepAndContinueFromTheCpuNetwork()
    {
        const int Batch = 20;
        var labels = DeviceParity.Labels(Batch, 3, seed: 17);
        var inputs = DeviceParity.Random(Batch * GpuDropped.Layout.InputSize, seed: 18);
        var cpu = new GpuDropped();
        cpu.TrainStep(inputs, labels);
        cpu.TrainStep(inputs, labels);

        using var gpu = cpu.ToDevice(Device.OpenCL());
        Assert.Equal(2, gpu.TrainingSteps);
        var worst = 0.0;
        for (var step = 2; step < 5; step++)
        {
            var cpuLoss = cpu.TrainStep(inputs, labels);
            var gpuLoss = gpu.TrainStep(inputs, labels);
            var error = System.Math.Max(DeviceParity.MaxRelativeError([cpuLoss], [gpuLoss]), DeviceParity.MaxRelativeError(cpu.Gradients.ToArray(), ((INetwork)gpu).Gradients.ToArray()));
            _output.WriteLine($"step {step}: max relative error of loss and gradients {error:E2}");
            worst = System.Math.Max(worst, error);
        }

        Assert.Equal(5, gpu.TrainingSteps);
        Assert.True(worst < Tolerance, $"OpenCL masks depart from the CPU's: relative error {worst:E2}");
    }
}
