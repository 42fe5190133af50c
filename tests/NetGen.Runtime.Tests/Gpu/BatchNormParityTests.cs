using System;
using NetGen.Gpu;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Skips;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>
/// BatchNorm on the OpenCL device against the CPU: batch statistics, the running statistics'
/// update, dγ, dβ and dx in training, and inference with the running statistics before and after a step.
/// </summary>
public sealed class BatchNormParityTests
{
    private const double Tolerance = 1e-4;

    private readonly ITestOutputHelper _output;

    public BatchNormParityTests(ITestOutputHelper output) => _output = output;

    [OpenClFact]
    public void ImageAndFeatureBatchNormWithAdamMatchTheCpu()
    {
        var labels = DeviceParity.Labels(11, 3, seed: 19);
        var report = DeviceParity.Measure(
            () => new GpuNormalized(), n => n.ToDevice(Device.OpenCL()), (n, x) => n.TrainStep(x, labels),
            count => new Adam(count, 0.01f), batch: 11, seed: 20);
        _output.WriteLine("max relative error: " + report);
        Assert.True(report.Max < Tolerance, $"OpenCL departs from the CPU by more than {Tolerance}: {report}");
    }

    [OpenClFact]
    public void InferenceWithTrainedRunningStatisticsMatchesTheCpu()
    {
        var network = new GpuNormalized();
        using var gpu = network.ToDevice(Device.OpenCL());
        var sgd = new Sgd(GpuNormalized.Layout.ParameterCount, 0.1f);
        for (var step = 0; step < 3; step++)
        {
            gpu.TrainStep(DeviceParity.Random(5 * GpuNormalized.Layout.InputSize, seed: 21 + step), DeviceParity.Labels(5, 3, seed: 24 + step));
            sgd.Step(gpu);
        }

        // The same parameters and running statistics on both sides: only the inference kernels can differ.
        INetwork device = gpu;
        var trained = new GpuNormalized();
        device.Parameters.CopyTo(trained.Parameters);
        device.Buffers.CopyTo(trained.Buffers);
        Assert.NotEqual(network.Buffers.ToArray(), trained.Buffers.ToArray());
        var inputs = DeviceParity.Random(7 * GpuNormalized.Layout.InputSize, seed: 27);
        float[] cpuOutputs = new float[7 * GpuNormalized.Layout.OutputSize], gpuOutputs = new float[7 * GpuNormalized.Layout.OutputSize];
        trained.Forward(inputs, cpuOutputs);
        gpu.Forward(inputs, gpuOutputs);
        var error = DeviceParity.MaxRelativeError(cpuOutputs, gpuOutputs);

        _output.WriteLine($"max relative error of inference outputs: {error:E2}");
        Assert.True(error < Tolerance, $"OpenCL inference departs from the CPU by {error:E2}");
    }

    [OpenClFact]
    public void OneValuePerChannelIsRefusedInTraining()
    {
        var network = new GpuNormalized();
        using var gpu = network.ToDevice(Device.OpenCL());
        var error = Assert.Throws<InvalidOperationException>(() => gpu.TrainStep(DeviceParity.Random(GpuNormalized.Layout.InputSize, seed: 23), [0]));

        Assert.Contains("'norm'", error.Message);
    }
}
