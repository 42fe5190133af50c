using System;
using NetGen.Gpu;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Skips;
using Xunit;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>
/// What crosses between host and device in training: the batch up, the loss terms (and, when asked
/// for, the outputs) back. Parameters, gradients and optimizer state stay on the device until asked for.
/// </summary>
public sealed class DeviceTrafficTests
{
    private const int Batch = 8;

    [OpenClFact]
    public void ATrainingAndOptimizerStepMoveOnlyTheBatchTheLossAndTheOutputs()
    {
        var backend = new CountingBackend(Device.OpenCL().Open());
        using var gpu = new GpuClassifier().ToDevice(Device.From(backend));
        INetwork network = gpu;
        var inputs = DeviceParity.Random(Batch * GpuClassifier.Layout.InputSize, seed: 80);
        var labels = DeviceParity.Labels(Batch, 4, seed: 81);
        var adam = new Adam(gpu, 0.01f);
        gpu.TrainStep(inputs, labels);
        adam.Step(gpu);

        backend.Reset();
        for (var step = 0; step < 3; step++)
        {
            gpu.TrainStep(inputs, labels);
            _ = gpu.LastOutputs;
            adam.Step(gpu);
        }

        // Per step: inputs and labels up; one loss term per sample and the outputs back.
        Assert.Equal(3L * Batch * (GpuClassifier.Layout.InputSize + 1) * sizeof(float), backend.Uploaded);
        Assert.Equal(3L * Batch * (1 + GpuClassifier.Layout.OutputSize) * sizeof(float), backend.Downloaded);

        // Asking for the parameters reads them back once; the span handed out goes up once, before the next step.
        backend.Reset();
        _ = network.Parameters;
        _ = network.Parameters;
        Assert.Equal((long)GpuClassifier.Layout.ParameterCount * sizeof(float), backend.Downloaded);
        gpu.TrainStep(inputs, labels);
        Assert.Equal((GpuClassifier.Layout.ParameterCount + (Batch * (GpuClassifier.Layout.InputSize + 1L))) * sizeof(float), backend.Uploaded);
    }

    /// <summary>The OpenCL backend, counting the bytes copied each way.</summary>
    private sealed class CountingBackend(IGpuBackend inner) : IGpuBackend
    {
        public long Uploaded { get; private set; }

        public long Downloaded { get; private set; }

        public string Name => inner.Name;

        public void Reset() => (Uploaded, Downloaded) = (0, 0);

        public GpuProgram Compile(string source) => inner.Compile(source);

        public GpuBuffer Allocate(long bytes) => inner.Allocate(bytes);

        public void Free(GpuBuffer buffer) => inner.Free(buffer);

        public void Upload(GpuBuffer buffer, ReadOnlySpan<byte> data, long byteOffset)
        {
            Uploaded += data.Length;
            inner.Upload(buffer, data, byteOffset);
        }

        public void Download(GpuBuffer buffer, Span<byte> data, long byteOffset)
        {
            Downloaded += data.Length;
            inner.Download(buffer, data, byteOffset);
        }

        public void Launch(GpuProgram program, string kernel, GpuGrid global, GpuGrid local, ReadOnlySpan<GpuArg> args) =>
            inner.Launch(program, kernel, global, local, args);

        public bool TryGemm(in GpuGemm gemm) => inner.TryGemm(gemm);
    }
}
