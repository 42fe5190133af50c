using System;
using NetGen.Gpu;
using NetGen.Runtime.Tests.Skips;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>
/// dL/dinput on the OpenCL device (PoCL in CI) against the CPU's, after one training step on the same
/// batch: through a Dense, a convolution with padding and stride, BatchNorm, a residual graph, and an
/// input read by two layers (its two gradient slots summed on the device). Also the request's life
/// cycle, as on the CPU: none before it is asked for, none after it is withdrawn. Asking for it must
/// leave the parameter gradients exactly as they are without it (the same launches compute them).
/// </summary>
public sealed class InputGradientParityTests
{
    /// <summary>Float32 sums in a different order (tiles vs SIMD lanes) differ by a few ulps per term.</summary>
    private const double Tolerance = 1e-4;

    private readonly ITestOutputHelper _output;

    public InputGradientParityTests(ITestOutputHelper output) => _output = output;

    [OpenClFact]
    public void DenseInputGradientsMatchTheCpu() => Check(new GpuClassifier(), n => n.ToDevice(Device.OpenCL()), batch: 7, classes: 4);

    [OpenClFact]
    public void ConvolutionalInputGradientsMatchTheCpu() => Check(new GpuConvolutional(), n => n.ToDevice(Device.OpenCL()), batch: 5, classes: 3);

    [OpenClFact]
    public void NormalizedInputGradientsMatchTheCpu() => Check(new GpuNormalized(), n => n.ToDevice(Device.OpenCL()), batch: 6, classes: 3);

    [OpenClFact]
    public void ResidualInputGradientsMatchTheCpu() => Check(new GpuResidual(), n => n.ToDevice(Device.OpenCL()), batch: 9, classes: 3);

    [OpenClFact]
    public void InputReadTwiceSumsItsGradientsAsOnTheCpu() => Check(new GpuVectorGraph(), n => n.ToDevice(Device.OpenCL()), batch: 11, classes: 2);

    [OpenClFact]
    public void InputGradientsExistOnlyWhileAskedFor()
    {
        using var gpu = new GpuClassifier().ToDevice(Device.OpenCL());
        var inputs = DeviceParity.Random(4 * GpuClassifier.Layout.InputSize, seed: 51);
        var labels = DeviceParity.Labels(4, 4, seed: 52);
        gpu.TrainStep(inputs, labels);
        Assert.Throws<InvalidOperationException>(() => gpu.InputGradients.Length);

        gpu.ComputeInputGradients = true;
        gpu.TrainStep(inputs, labels);
        Assert.Equal(inputs.Length, gpu.InputGradients.Length);
        Assert.Contains(gpu.InputGradients.ToArray(), g => g != 0f);

        gpu.ComputeInputGradients = false;
        gpu.TrainStep(inputs, labels);
        Assert.Throws<InvalidOperationException>(() => gpu.InputGradients.Length);
    }

    private void Check<TNetwork>(TNetwork cpu, Func<TNetwork, GpuNetwork> toDevice, int batch, int classes)
        where TNetwork : INetwork
    {
        using var gpu = toDevice(cpu);
        var inputs = DeviceParity.Random(batch * cpu.InputSize, seed: 50);
        var labels = DeviceParity.Labels(batch, classes, seed: 53);
        gpu.TrainStep(inputs, labels);
        var without = ((INetwork)gpu).Gradients.ToArray();
        cpu.ComputeInputGradients = true;
        gpu.ComputeInputGradients = true;

        cpu.TrainStep(inputs, labels);
        gpu.TrainStep(inputs, labels);

        var error = DeviceParity.MaxRelativeError(cpu.InputGradients.ToArray(), gpu.InputGradients.ToArray());
        _output.WriteLine($"dL/dinput: max relative error {error:E2}");
        Assert.True(error < Tolerance, $"The device's dL/dinput departs from the CPU's by {error:E2}");
        Assert.Equal(without, ((INetwork)gpu).Gradients.ToArray());
    }
}
