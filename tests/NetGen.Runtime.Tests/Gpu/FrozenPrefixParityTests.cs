using System.Linq;
using NetGen.Gpu;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Skips;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>A frozen convolutional backbone with BatchNorm under a trainable head, as a transfer-learning network is declared.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 23)]
[Input(2, 6, 6)]
public partial class GpuFrozenBackbone
{
    [Frozen, Conv2D(4, 3, Bias = false)] public partial Conv2D Conv { get; }
    [Frozen, BatchNorm(Activation.ReLU)] public partial BatchNorm ConvNorm { get; }
    [Flatten] public partial Flatten Flat { get; }
    [Dense(3)] public partial Dense Output { get; }
}

/// <summary>The device runs a frozen prefix as the CPU does: in inference mode, without backward, with gradients and optimizer state for the head only.</summary>
public sealed class FrozenPrefixParityTests
{
    private const double Tolerance = 1e-4;

    private readonly ITestOutputHelper _output;

    public FrozenPrefixParityTests(ITestOutputHelper output) => _output = output;

    [OpenClFact]
    public void FrozenBackboneWithAdamMatchesTheCpu()
    {
        var labels = DeviceParity.Labels(7, 3, seed: 23);
        var report = DeviceParity.Measure(
            () => new GpuFrozenBackbone(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, labels),
            count => new Adam(count, 0.01f), batch: 7, seed: 24);
        _output.WriteLine("max relative error: " + report);
        Assert.True(report.Max < Tolerance, $"OpenCL departs from the CPU by more than {Tolerance}: {report}");
    }

    [OpenClFact]
    public void TheDeviceKeepsGradientsForTheHeadAndLeavesTheBackboneAndItsStatisticsAlone()
    {
        var labels = DeviceParity.Labels(7, 3, seed: 25);
        var inputs = DeviceParity.Random(7 * GpuFrozenBackbone.Layout.InputSize, seed: 26);
        var cpu = new GpuFrozenBackbone();
        using var device = cpu.ToDevice(Device.OpenCL());
        INetwork gpu = device;
        var parameters = gpu.Parameters.ToArray();
        var buffers = gpu.Buffers.ToArray();
        var adam = new Adam(gpu);

        gpu.TrainStep(inputs, labels);
        adam.Step(gpu);

        Assert.Equal(GpuFrozenBackbone.Layout.TrainableParameterCount, gpu.Gradients.Length);
        Assert.Equal(GpuFrozenBackbone.Layout.TrainableParameterCount, adam.State[0].Values.Length);
        Assert.Equal(parameters[GpuFrozenBackbone.Layout.TrainableParameterCount..], gpu.Parameters[GpuFrozenBackbone.Layout.TrainableParameterCount..].ToArray());
        Assert.NotEqual(parameters[..GpuFrozenBackbone.Layout.TrainableParameterCount], gpu.Parameters[..GpuFrozenBackbone.Layout.TrainableParameterCount].ToArray());
        Assert.Equal(buffers, gpu.Buffers.ToArray());
    }
}
