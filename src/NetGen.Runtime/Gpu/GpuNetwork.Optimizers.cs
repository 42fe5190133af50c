using System;
using System.Runtime.InteropServices;
using NetGen.Optimizers;

namespace NetGen.Gpu;

/// <summary>Optimizer steps on the device with their state in device buffers, and frozen layers.</summary>
public abstract partial class GpuNetwork
{
    /// <summary>Freezes or thaws a layer of the CPU network this one was made from (so of both), as <see cref="INetwork.SetFrozen"/>; freezing clears the layer's gradients on the device.</summary>
    public void SetFrozen(string layer, bool frozen)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var use = ExclusiveUse.Enter(ref _inUse, _typeName);
        _network.SetFrozen(layer, frozen);
        _gradients.BeforeDeviceUse();
        ClearFrozenGradients();
        _gradients.DeviceWrote();
    }

    /// <summary>
    /// One update of <paramref name="optimizer"/> on the device over <see cref="TrainableRanges"/>,
    /// its state held in device buffers (uploaded from the host when the host copy changed since).
    /// <see cref="Optimizer.Step(INetwork)"/> calls it and has counted the step.
    /// </summary>
    internal void Step(Optimizer optimizer, IDeviceUpdate update)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var use = ExclusiveUse.Enter(ref _inUse, _typeName);
        var state = HoldStateOf(optimizer);
        _parameters.BeforeDeviceUse();
        _gradients.BeforeDeviceUse();
        var ranges = _network.TrainableRanges;
        for (var r = 0; r < ranges.Count; r++)
        {
            var count = update.WriteArguments(Parameters, Gradients, state, ranges[r], _optimizerArguments);
            Launch(update.Kernel, ranges[r].Length, _optimizerArguments.AsSpan(0, count));
        }

        _parameters.DeviceWrote();
        optimizer.StateMovedTo(this);
    }

    /// <summary>Reads the device copy of <paramref name="optimizer"/>'s state into its host buffers (it holds them here).</summary>
    internal void ReadStateOf(Optimizer optimizer)
    {
        var host = optimizer.HostState;
        for (var i = 0; i < host.Count; i++)
        {
            Backend.Download(_optimizerState[i], MemoryMarshal.AsBytes(host[i].Values.AsSpan()), 0);
        }
    }

    /// <summary>Zeroes the gradients outside <see cref="TrainableRanges"/>: backward computes every layer's, the CPU leaves a frozen layer's at zero.</summary>
    private void ClearFrozenGradients()
    {
        var ranges = _network.TrainableRanges;
        var next = 0;
        for (var r = 0; r <= ranges.Count; r++)
        {
            var end = r < ranges.Count ? ranges[r].Offset : ParameterCount;
            if (end > next)
            {
                Launch("fill_zero", end - next, Gradients, next, end - next);
            }

            next = r < ranges.Count ? ranges[r].Offset + ranges[r].Length : end;
        }
    }

    /// <summary>
    /// The device buffers of <paramref name="optimizer"/>'s state, allocated when it is first stepped
    /// here (handing back the state of the optimizer stepped before) and uploaded when its host copy
    /// is newer than the device's.
    /// </summary>
    private GpuBuffer[] HoldStateOf(Optimizer optimizer)
    {
        if (!ReferenceEquals(_optimizer, optimizer))
        {
            ReleaseOptimizer();
            var count = optimizer.HostState.Count;
            _optimizerState = new GpuBuffer[count];
            for (var i = 0; i < count; i++)
            {
                _optimizerState[i] = Backend.Allocate(Bytes(TrainableParameterCount));
            }

            _optimizer = optimizer;
            _optimizerStateVersion = -1;
        }

        // Newer on another network's device: bring it to the host first, which makes the host copy the newest.
        if (optimizer.StateHolder is { } other && other != this)
        {
            optimizer.ReadStateFromDevice();
        }

        if (optimizer.HostStateVersion != _optimizerStateVersion)
        {
            var host = optimizer.HostState;
            for (var i = 0; i < host.Count; i++)
            {
                Backend.Upload(_optimizerState[i], MemoryMarshal.AsBytes(host[i].Values.AsSpan()), 0);
            }

            _optimizerStateVersion = optimizer.HostStateVersion;
        }

        return _optimizerState;
    }

    private void ReleaseOptimizer()
    {
        if (_optimizer is null)
        {
            return;
        }

        if (_optimizer.StateHolder == this)
        {
            _optimizer.ReadStateFromDevice();
        }

        foreach (var buffer in _optimizerState)
        {
            Backend.Free(buffer);
        }

        _optimizer = null;
        _optimizerState = [];
    }
}
