using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;

namespace NetGen.Gpu.OpenCl;

/// <summary>
/// <see cref="IGpuBackend"/> over OpenCL 1.2: one context and in-order queue per device for the
/// whole process; programs are built once per source hash and their kernels created once per name.
/// The portable dialect's prelude selects OpenCL C when <c>__OPENCL_VERSION__</c> is defined.
/// </summary>
internal sealed unsafe class OpenClBackend : IGpuBackend
{
    private static readonly ConcurrentDictionary<(int, int), Lazy<OpenClBackend>> Opened = new();

    private readonly nint _device;
    private readonly nint _context;
    private readonly nint _queue;
    private readonly object _gate = new();
    // A cl_kernel holds the arguments last set on it, and networks of one type share their kernels
    // (programs are cached by source): setting the arguments and enqueueing must not interleave
    // with another thread's launch of the same kernel.
    private readonly System.Threading.Lock _launchGate = new();
    private readonly Dictionary<string, GpuProgram> _programs = new();
    private readonly Dictionary<(nint, string), nint> _kernels = new();

    private OpenClBackend(nint device, nint context, nint queue, string name)
    {
        _device = device;
        _context = context;
        _queue = queue;
        Name = name;
    }

    public string Name { get; }

    /// <summary>The process-wide backend for device <paramref name="deviceIndex"/> of platform <paramref name="platformIndex"/>.</summary>
    public static OpenClBackend Open(int platformIndex, int deviceIndex) =>
        Opened.GetOrAdd((platformIndex, deviceIndex), key => new Lazy<OpenClBackend>(() => Create(key.Item1, key.Item2))).Value;

    private static OpenClBackend Create(int platformIndex, int deviceIndex)
    {
        NativeLibraries.Require("OpenCL", NativeLibraries.OpenClInstall, OpenClNative.LibraryName);
        uint platformCount;
        var status = OpenClNative.clGetPlatformIDs(0, null, &platformCount);
        if (status == OpenClNative.PlatformNotFound || (status == OpenClNative.Success && platformCount == 0))
        {
            throw new GpuUnavailableException($"OpenCL is installed but reports no platform (no driver registered in /etc/OpenCL/vendors); {NativeLibraries.OpenClInstall}.");
        }

        Check(status, "clGetPlatformIDs");
        if (platformIndex < 0 || platformIndex >= platformCount)
        {
            throw new ArgumentOutOfRangeException(nameof(platformIndex), platformIndex, $"OpenCL has {platformCount} platform(s).");
        }

        var platforms = stackalloc nint[(int)platformCount];
        Check(OpenClNative.clGetPlatformIDs(platformCount, platforms, null), "clGetPlatformIDs");
        var platform = platforms[platformIndex];
        uint deviceCount;
        Check(OpenClNative.clGetDeviceIDs(platform, OpenClNative.DeviceTypeAll, 0, null, &deviceCount), "clGetDeviceIDs");
        if (deviceIndex < 0 || deviceIndex >= deviceCount)
        {
            throw new ArgumentOutOfRangeException(nameof(deviceIndex), deviceIndex, $"OpenCL platform {platformIndex} has {deviceCount} device(s).");
        }

        var devices = stackalloc nint[(int)deviceCount];
        Check(OpenClNative.clGetDeviceIDs(platform, OpenClNative.DeviceTypeAll, deviceCount, devices, null), "clGetDeviceIDs");
        var device = devices[deviceIndex];
        int error;
        var context = OpenClNative.clCreateContext(null, 1, &device, 0, 0, &error);
        Check(error, "clCreateContext");
        var queue = OpenClNative.clCreateCommandQueue(context, device, 0, &error);
        Check(error, "clCreateCommandQueue");
        var name = $"OpenCL: {InfoString(device, OpenClNative.DeviceName, isDevice: true)} ({InfoString(platform, OpenClNative.PlatformName, isDevice: false)})";
        return new OpenClBackend(device, context, queue, name);
    }

    public GpuProgram Compile(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var hash = SourceHash.Of(source);
        lock (_gate)
        {
            if (_programs.TryGetValue(hash, out var cached))
            {
                return cached;
            }

            var bytes = Encoding.UTF8.GetBytes(source);
            int error;
            nint program;
            fixed (byte* text = bytes)
            {
                var pointer = text;
                var length = (nuint)bytes.Length;
                program = OpenClNative.clCreateProgramWithSource(_context, 1, &pointer, &length, &error);
            }

            Check(error, "clCreateProgramWithSource");
            var device = _device;
            var options = Encoding.ASCII.GetBytes("-cl-std=CL1.2\0");
            fixed (byte* optionText = options)
            {
                var status = OpenClNative.clBuildProgram(program, 1, &device, optionText, 0, 0);
                if (status != OpenClNative.Success)
                {
                    throw new GpuException($"{Name}: clBuildProgram failed ({status}):\n{BuildLog(program)}");
                }
            }

            var compiled = new GpuProgram(program, hash);
            _programs.Add(hash, compiled);
            return compiled;
        }
    }

    public GpuBuffer Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        int error;
        var buffer = OpenClNative.clCreateBuffer(_context, OpenClNative.MemReadWrite, (nuint)bytes, null, &error);
        Check(error, $"clCreateBuffer({bytes} bytes)");
        return new GpuBuffer(buffer, bytes);
    }

    public void Free(GpuBuffer buffer) => Check(OpenClNative.clReleaseMemObject(buffer.Handle), "clReleaseMemObject");

    public void Upload(GpuBuffer buffer, ReadOnlySpan<byte> data, long byteOffset)
    {
        CheckRange(buffer, data.Length, byteOffset);
        fixed (byte* source = data)
        {
            Check(OpenClNative.clEnqueueWriteBuffer(_queue, buffer.Handle, 1, (nuint)byteOffset, (nuint)data.Length, source, 0, null, null), "clEnqueueWriteBuffer");
        }
    }

    public void Download(GpuBuffer buffer, Span<byte> data, long byteOffset)
    {
        CheckRange(buffer, data.Length, byteOffset);
        fixed (byte* destination = data)
        {
            Check(OpenClNative.clEnqueueReadBuffer(_queue, buffer.Handle, 1, (nuint)byteOffset, (nuint)data.Length, destination, 0, null, null), "clEnqueueReadBuffer");
        }
    }

    public void Launch(GpuProgram program, string kernel, GpuGrid global, GpuGrid local, ReadOnlySpan<GpuArg> args)
    {
        var handle = Kernel(program, kernel);
        lock (_launchGate)
        {
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                int status;
                switch (arg.Kind)
                {
                    case GpuArgKind.Buffer:
                        var memory = arg.Buffer!.Handle;
                        status = OpenClNative.clSetKernelArg(handle, (uint)i, (nuint)sizeof(nint), &memory);
                        break;
                    case GpuArgKind.Int:
                        var integer = arg.Int;
                        status = OpenClNative.clSetKernelArg(handle, (uint)i, sizeof(int), &integer);
                        break;
                    default:
                        var single = arg.Float;
                        status = OpenClNative.clSetKernelArg(handle, (uint)i, sizeof(float), &single);
                        break;
                }

                if (status != OpenClNative.Success)
                {
                    throw Failure(status, $"clSetKernelArg({kernel}, {i})");
                }
            }

            var globalSize = stackalloc nuint[] { (nuint)global.X, (nuint)global.Y };
            var localSize = stackalloc nuint[] { (nuint)local.X, (nuint)local.Y };
            var launched = OpenClNative.clEnqueueNDRangeKernel(_queue, handle, 2, null, globalSize, localSize, 0, null, null);
            if (launched != OpenClNative.Success)
            {
                throw Failure(launched, $"clEnqueueNDRangeKernel({kernel})");
            }
        }
    }

    private nint Kernel(GpuProgram program, string name)
    {
        lock (_gate)
        {
            if (_kernels.TryGetValue((program.Handle, name), out var kernel))
            {
                return kernel;
            }

            int error;
            var bytes = Encoding.ASCII.GetBytes(name + "\0");
            fixed (byte* text = bytes)
            {
                kernel = OpenClNative.clCreateKernel(program.Handle, text, &error);
            }

            Check(error, $"clCreateKernel({name})");
            _kernels.Add((program.Handle, name), kernel);
            return kernel;
        }
    }

    private string BuildLog(nint program)
    {
        nuint size;
        if (OpenClNative.clGetProgramBuildInfo(program, _device, OpenClNative.ProgramBuildLog, 0, null, &size) != OpenClNative.Success)
        {
            return "(no build log)";
        }

        var log = new byte[(int)size];
        fixed (byte* text = log)
        {
            OpenClNative.clGetProgramBuildInfo(program, _device, OpenClNative.ProgramBuildLog, size, text, null);
        }

        return Encoding.UTF8.GetString(log).TrimEnd('\0');
    }

    private static string InfoString(nint handle, uint name, bool isDevice)
    {
        var value = stackalloc byte[256];
        nuint size;
        var status = isDevice
            ? OpenClNative.clGetDeviceInfo(handle, name, 256, value, &size)
            : OpenClNative.clGetPlatformInfo(handle, name, 256, value, &size);
        return status == OpenClNative.Success ? Encoding.UTF8.GetString(value, (int)size).TrimEnd('\0') : "unknown";
    }

    private static void CheckRange(GpuBuffer buffer, int length, long byteOffset)
    {
        if (byteOffset < 0 || byteOffset + length > buffer.Bytes)
        {
            throw new ArgumentOutOfRangeException(nameof(byteOffset), $"{length} bytes at {byteOffset} do not fit a {buffer.Bytes}-byte device buffer.");
        }
    }

    private static void Check(int status, string call)
    {
        if (status != OpenClNative.Success)
        {
            throw Failure(status, call);
        }
    }

    // Launch paths test the status first and name the kernel only on failure: formatting the
    // message on every call would allocate on every launch, thousands of times per epoch.
    private static GpuException Failure(int status, string call) => new($"OpenCL: {call} failed with error {status}.");
}
