using System;
using NetGen.Gpu;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Skips;
using Xunit;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>
/// A training step on the device allocates nothing once the first step has set up its buffers, as
/// on the CPU: kernel arguments, the staged batch and the downloaded loss terms reuse what exists.
/// </summary>
public sealed class DeviceAllocationTests
{
    private const int Batch = 8;

    [OpenClFact]
    public void ConvolutionAndBatchNormStepsWithAdamAllocateNothing()
    {
        using var gpu = new GpuNormalized().ToDevice(Device.OpenCL());
        var inputs = DeviceParity.Random(Batch * GpuNormalized.Layout.InputSize, seed: 40);
        var labels = DeviceParity.Labels(Batch, 3, seed: 41);
        var optimizer = new Adam(GpuNormalized.Layout.ParameterCount, 0.01f);

        Assert.Equal(0, AllocatedBytes(() => gpu.TrainStep(inputs, labels), () => optimizer.Step(gpu)));
    }

    [OpenClFact]
    public void DropoutStepsWithMomentumSgdAllocateNothing()
    {
        using var gpu = new GpuDropped().ToDevice(Device.OpenCL());
        var inputs = DeviceParity.Random(Batch * GpuDropped.Layout.InputSize, seed: 42);
        var labels = DeviceParity.Labels(Batch, 3, seed: 43);
        var optimizer = new Sgd(GpuDropped.Layout.ParameterCount, 0.1f, momentum: 0.9, nesterov: true);

        Assert.Equal(0, AllocatedBytes(() => gpu.TrainStep(inputs, labels), () => optimizer.Step(gpu)));
    }

    /// <summary>Bytes this thread allocates over three steps after two warm-up steps.</summary>
    private static long AllocatedBytes(Func<float> trainStep, Action step)
    {
        for (var warmUp = 0; warmUp < 2; warmUp++)
        {
            trainStep();
            step();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 3; i++)
        {
            trainStep();
            step();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
