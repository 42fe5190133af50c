using System;
using System.Runtime.InteropServices;

namespace NetGen.Gpu;

/// <summary>
/// A host copy of one device buffer of floats (parameters, gradients or buffers), kept in step
/// lazily so a training step moves nothing: the device copy is read back only when the host span
/// is asked for after the device changed it, and uploaded only before the device next uses it
/// after the host span was handed out.
/// </summary>
/// <remarks>
/// A handed-out span may be written at any time until the next device call, and nothing can tell a
/// read from a write, so handing it out counts as writing: the next device call uploads it once.
/// </remarks>
internal sealed class HostMirror
{
    private readonly IGpuBackend _backend;
    private readonly float[] _host;
    private Newer _newer = Newer.Neither;

    public HostMirror(IGpuBackend backend, GpuBuffer device, int count)
    {
        _backend = backend;
        Device = device;
        _host = new float[count];
    }

    private enum Newer
    {
        Neither,
        Host,
        Device,
    }

    /// <summary>The device copy.</summary>
    public GpuBuffer Device { get; }

    /// <summary>The host copy, read back first when the device changed it; it is uploaded before the device next reads it.</summary>
    public Span<float> Host
    {
        get
        {
            if (_newer == Newer.Device && _host.Length > 0)
            {
                _backend.Download(Device, MemoryMarshal.AsBytes(_host.AsSpan()), 0);
            }

            _newer = Newer.Host;
            return _host;
        }
    }

    /// <summary>Uploads the host copy when it was handed out since the last upload; call before a device call reads or partly writes the buffer.</summary>
    public void BeforeDeviceUse()
    {
        if (_newer != Newer.Host)
        {
            return;
        }

        if (_host.Length > 0)
        {
            _backend.Upload(Device, MemoryMarshal.AsBytes(_host.AsSpan()), 0);
        }

        _newer = Newer.Neither;
    }

    /// <summary>Records that a device call changed the buffer (after <see cref="BeforeDeviceUse"/>), so the host copy is stale.</summary>
    public void DeviceWrote() => _newer = Newer.Device;
}
