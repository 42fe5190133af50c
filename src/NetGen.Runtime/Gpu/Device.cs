using System;
using NetGen.Gpu;
using NetGen.Gpu.Cuda;
using NetGen.Gpu.OpenCl;

namespace NetGen;

/// <summary>
/// Where a network runs, chosen in one call: <see cref="Cpu"/> (the generated SIMD code itself),
/// <see cref="OpenCL"/> or <see cref="Cuda"/>. Pass a GPU device to a generated network's
/// <c>ToDevice</c>; opening one whose driver or library is missing throws
/// <see cref="GpuUnavailableException"/> saying what to install.
/// </summary>
public abstract class Device
{
    private Device()
    {
    }

    /// <summary>The CPU: the network's own generated methods; it has no GPU backend.</summary>
    public static Device Cpu { get; } = new CpuDevice();

    /// <summary>Device <paramref name="device"/> of OpenCL platform <paramref name="platform"/> (PoCL's CPU device counts).</summary>
    public static Device OpenCL(int platform = 0, int device = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(platform);
        ArgumentOutOfRangeException.ThrowIfNegative(device);
        return new BackendDevice($"OpenCL platform {platform} device {device}", () => OpenClBackend.Open(platform, device));
    }

    /// <summary>NVIDIA GPU <paramref name="ordinal"/> through the CUDA driver API, kernels compiled by NVRTC.</summary>
    public static Device Cuda(int ordinal = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        return new BackendDevice($"CUDA device {ordinal}", () => CudaBackend.Open(ordinal));
    }

    /// <summary>A device driven by your own <see cref="IGpuBackend"/> (it must compile NetGen's portable kernel dialect).</summary>
    public static Device From(IGpuBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return new BackendDevice(backend.Name, () => backend);
    }

    /// <summary>What the device is, e.g. <c>OpenCL platform 0 device 0</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The device's backend, opened once per process (context, queue, program cache).
    /// </summary>
    /// <exception cref="GpuUnavailableException">The driver or library is missing, or reports no device.</exception>
    /// <exception cref="InvalidOperationException">The device is <see cref="Cpu"/>.</exception>
    public abstract IGpuBackend Open();

    /// <inheritdoc/>
    public override string ToString() => Name;

    private sealed class CpuDevice : Device
    {
        public override string Name => "CPU";

        public override IGpuBackend Open() =>
            throw new InvalidOperationException("Device.Cpu has no GPU backend: a network already runs on the CPU through its own TrainStep and Forward; pass Device.OpenCL() or Device.Cuda() to ToDevice.");
    }

    private sealed class BackendDevice : Device
    {
        private readonly Func<IGpuBackend> _open;

        public BackendDevice(string name, Func<IGpuBackend> open)
        {
            Name = name;
            _open = open;
        }

        public override string Name { get; }

        public override IGpuBackend Open() => _open();
    }
}
