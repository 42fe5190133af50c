using System;
using NetGen.Gpu;

namespace NetGen.Optimizers;

/// <summary>
/// An optimizer whose update also runs on a device: the kernel (written beside the optimizer's CPU
/// formula, in NetGen's portable kernel dialect) and its arguments for one run of parameters, the
/// scalars computed by the same code the CPU update uses. <see cref="Optimizer.Step(INetwork)"/>
/// launches it when the network is a <see cref="GpuNetwork"/>; an optimizer without one steps a
/// device network through its host copies (see <see cref="GpuNetwork"/>).
/// </summary>
internal interface IDeviceUpdate
{
    /// <summary>The kernel's name in <see cref="DeviceUpdates.Kernels"/>.</summary>
    string Kernel { get; }

    /// <summary>
    /// Writes the kernel's arguments for the parameters in <paramref name="range"/> (the kernel runs
    /// one work item per parameter of it) and returns how many it wrote. <paramref name="state"/>
    /// holds the device copies of <see cref="Optimizer.State"/>, in its order.
    /// </summary>
    int WriteArguments(GpuBuffer parameters, GpuBuffer gradients, ReadOnlySpan<GpuBuffer> state, ParameterRange range, Span<GpuArg> arguments);
}

/// <summary>The device kernels of every built-in optimizer, which <see cref="GpuNetwork"/> compiles into each network's program.</summary>
internal static class DeviceUpdates
{
    /// <summary>Room for the longest argument list an update writes.</summary>
    public const int MaxArguments = 17;

    public const string Kernels = Sgd.DeviceKernel + AdamUpdate.DeviceKernel + RmsProp.DeviceKernel;
}
