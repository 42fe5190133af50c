using System;
using NetGen.Gpu;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Skips;
using Xunit;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>
/// A training step on the device, and the optimizer's step there (<see cref="Optimizer.Step(INetwork)"/>,
/// as Trainer.Fit calls it), allocate nothing once the first step has set up its buffers, as on the
/// CPU: kernel arguments, the staged batch, the downloaded loss terms and outputs and the optimizer's
/// device state reuse what exists. The class runs alone (the allocation collection): one full CI run
/// measured 248 bytes in a step, never the class alone. The likely cause (not proven): every device
/// network of the process shares one OpenCL backend, and its launch lock allocates its waiting state
/// the first time a step finds another test's network holding it.
/// </summary>
[Collection(Networks.TrainingStepAllocationCollection.Name)]
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

        // As Trainer.Fit does: the step, the outputs it counts accuracy on, the optimizer.
        Assert.Equal(0, AllocatedBytes(() => gpu.TrainStep(inputs, labels) + gpu.LastOutputs[0], () => optimizer.Step(gpu)));
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

    [OpenClFact]
    public void SharedWeightStepsWithInputGradientsAllocateNothing()
    {
        // The uses' scratch and the input-gradient buffer are set up by the first step; reading dL/dinput back reuses its host copy.
        using var gpu = new Networks.TestTiedVector().ToDevice(Device.OpenCL());
        gpu.ComputeInputGradients = true;
        var inputs = DeviceParity.Random(Batch * Networks.TestTiedVector.Layout.InputSize, seed: 44);
        var labels = DeviceParity.Labels(Batch, 3, seed: 45);
        var optimizer = new Sgd(Networks.TestTiedVector.Layout.ParameterCount, 0.1f);

        Assert.Equal(0, AllocatedBytes(() => gpu.TrainStep(inputs, labels) + gpu.InputGradients[0], () => optimizer.Step(gpu)));
    }

    [OpenClFact]
    public void RecurrentStepsAllocateNothing()
    {
        // A bidirectional LSTM returning every step into a bidirectional GRU over 28 steps: the host loops over steps launch
        // with the buffers planned once (the saved region and its gradient twin), so no step allocates.
        using var gpu = new Networks.RowBidirectional().ToDevice(Device.OpenCL());
        var inputs = DeviceParity.Random(Batch * Networks.RowBidirectional.Layout.InputSize, seed: 46);
        var labels = DeviceParity.Labels(Batch, 10, seed: 47);
        var optimizer = new Adam(Networks.RowBidirectional.Layout.ParameterCount, 0.01f);

        Assert.Equal(0, AllocatedBytes(() => gpu.TrainStep(inputs, labels) + gpu.LastOutputs[0], () => optimizer.Step(gpu)));
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
