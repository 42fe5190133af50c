using System;
using NetGen.Gpu;
using NetGen.Runtime.Tests.Networks;
using NetGen.Runtime.Tests.Skips;
using Xunit;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>On a device as on the CPU: a batch too large for one buffer is refused before any buffer is freed or resized.</summary>
public sealed class DeviceBatchLimitTests
{
    [OpenClFact]
    public void BatchTooLargeForOneBufferIsRefusedAndTheDeviceNetworkStaysUsable()
    {
        using var gpu = new WideFromOne().ToDevice(Device.OpenCL());
        using var fresh = new WideFromOne().ToDevice(Device.OpenCL());
        float[] inputs = [0.5f, -1.5f];
        int[] labels = [3, 65_000];
        gpu.TrainStep(inputs, labels);
        fresh.TrainStep(inputs, labels);
        const int tooLarge = 65_537;

        var error = Assert.Throws<ArgumentException>(() => gpu.TrainStep(new float[tooLarge], new int[tooLarge]));

        Assert.Equal("inputs", error.ParamName);
        Assert.StartsWith("WideFromOne: a batch of 65537 samples needs 4295032832 floats of activations (65536 per sample)", error.Message, StringComparison.Ordinal);
        Assert.Equal(fresh.TrainStep(inputs, labels), gpu.TrainStep(inputs, labels));
    }
}
