using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace NetGen.Gpu.Cuda;

/// <summary>
/// <see cref="IGpuBackend"/> over the CUDA driver API: NVRTC compiles the portable source (the
/// prelude selects CUDA C++ when <c>__OPENCL_VERSION__</c> is undefined) to PTX for the device's
/// compute capability, the driver loads it; one primary context per device for the process.
/// Matrix products go to cuBLAS when it is installed (<see cref="TryGemm"/>).
/// </summary>
internal sealed unsafe class CudaBackend : IGpuBackend
{
    private static readonly ConcurrentDictionary<int, Lazy<CudaBackend>> Opened = new();

    private readonly nint _context;
    private readonly int _major;
    private readonly int _minor;
    private readonly object _gate = new();
    private readonly Dictionary<string, GpuProgram> _programs = new();
    private readonly Dictionary<(nint, string), nint> _functions = new();
    private readonly Cublas? _cublas;

    private CudaBackend(nint context, int major, int minor, string name)
    {
        _context = context;
        _major = major;
        _minor = minor;
        _cublas = Cublas.TryCreate();
        Name = name + (_cublas is null ? ", no cuBLAS: tiled SGEMM" : ", cuBLAS");
    }

    public string Name { get; }

    /// <summary>The process-wide backend for CUDA device <paramref name="ordinal"/>.</summary>
    public static CudaBackend Open(int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        return Opened.GetOrAdd(ordinal, key => new Lazy<CudaBackend>(() => Create(key))).Value;
    }

    /// <summary>Checks both libraries CUDA needs, so the first missing one is named with how to install it.</summary>
    public static void RequireLibraries()
    {
        NativeLibraries.Require("The CUDA driver", NativeLibraries.CudaInstall, CudaNative.LibraryName);
        NativeLibraries.Require("NVRTC (the CUDA run-time compiler)", NativeLibraries.NvrtcInstall, NvrtcNative.LibraryName);
    }

    private static CudaBackend Create(int ordinal)
    {
        RequireLibraries();
        Check(CudaNative.cuInit(0), "cuInit");
        int count;
        Check(CudaNative.cuDeviceGetCount(&count), "cuDeviceGetCount");
        if (ordinal >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"CUDA reports {count} device(s).");
        }

        int device;
        Check(CudaNative.cuDeviceGet(&device, ordinal), "cuDeviceGet");
        int major, minor;
        Check(CudaNative.cuDeviceGetAttribute(&major, CudaNative.ComputeCapabilityMajor, device), "cuDeviceGetAttribute");
        Check(CudaNative.cuDeviceGetAttribute(&minor, CudaNative.ComputeCapabilityMinor, device), "cuDeviceGetAttribute");
        var name = stackalloc byte[256];
        Check(CudaNative.cuDeviceGetName(name, 256, device), "cuDeviceGetName");
        nint context;
        Check(CudaNative.cuDevicePrimaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain");
        // cuBLAS binds its handle to the context current when it is created.
        Check(CudaNative.cuCtxSetCurrent(context), "cuCtxSetCurrent");
        return new CudaBackend(context, major, minor, $"CUDA: {Marshal.PtrToStringUTF8((nint)name)} (sm_{major}{minor})");
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

            MakeCurrent();
            var ptx = CompileToPtx(source, hash);
            nint module;
            fixed (byte* image = ptx)
            {
                Check(CudaNative.cuModuleLoadData(&module, image), "cuModuleLoadData");
            }

            var compiled = new GpuProgram(module, hash);
            _programs.Add(hash, compiled);
            return compiled;
        }
    }

    private byte[] CompileToPtx(string source, string hash)
    {
        var text = Encoding.UTF8.GetBytes(source + "\0");
        var fileName = Encoding.ASCII.GetBytes($"netgen_{hash[..16]}.cu\0");
        var architecture = Encoding.ASCII.GetBytes($"--gpu-architecture=compute_{_major}{_minor}\0");
        nint program;
        fixed (byte* sourceText = text, nameText = fileName, option = architecture)
        {
            CheckNvrtc(NvrtcNative.nvrtcCreateProgram(&program, sourceText, nameText, 0, null, null), "nvrtcCreateProgram");
            try
            {
                var options = stackalloc byte*[] { option };
                var status = NvrtcNative.nvrtcCompileProgram(program, 1, options);
                if (status != NvrtcNative.Success)
                {
                    throw new GpuException($"{Name}: NVRTC could not compile the kernels ({NvrtcError(status)}):\n{Log(program)}");
                }

                nuint size;
                CheckNvrtc(NvrtcNative.nvrtcGetPTXSize(program, &size), "nvrtcGetPTXSize");
                var ptx = new byte[(int)size];
                fixed (byte* output = ptx)
                {
                    CheckNvrtc(NvrtcNative.nvrtcGetPTX(program, output), "nvrtcGetPTX");
                }

                return ptx;
            }
            finally
            {
                NvrtcNative.nvrtcDestroyProgram(&program);
            }
        }
    }

    public GpuBuffer Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        MakeCurrent();
        ulong pointer;
        Check(CudaNative.cuMemAlloc(&pointer, (nuint)bytes), $"cuMemAlloc({bytes} bytes)");
        return new GpuBuffer((nint)pointer, bytes);
    }

    public void Free(GpuBuffer buffer)
    {
        MakeCurrent();
        Check(CudaNative.cuMemFree((ulong)buffer.Handle), "cuMemFree");
    }

    public void Upload(GpuBuffer buffer, ReadOnlySpan<byte> data, long byteOffset)
    {
        CheckRange(buffer, data.Length, byteOffset);
        MakeCurrent();
        fixed (byte* source = data)
        {
            Check(CudaNative.cuMemcpyHtoD((ulong)buffer.Handle + (ulong)byteOffset, source, (nuint)data.Length), "cuMemcpyHtoD");
        }
    }

    public void Download(GpuBuffer buffer, Span<byte> data, long byteOffset)
    {
        CheckRange(buffer, data.Length, byteOffset);
        MakeCurrent();
        fixed (byte* destination = data)
        {
            Check(CudaNative.cuMemcpyDtoH(destination, (ulong)buffer.Handle + (ulong)byteOffset, (nuint)data.Length), "cuMemcpyDtoH");
        }
    }

    public void Launch(GpuProgram program, string kernel, GpuGrid global, GpuGrid local, ReadOnlySpan<GpuArg> args)
    {
        MakeCurrent();
        var function = Function(program, kernel);

        // cuLaunchKernel takes a pointer to each argument's value; every value fits 8 bytes.
        var values = stackalloc ulong[args.Length];
        var pointers = stackalloc void*[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            var slot = (byte*)(values + i);
            switch (args[i].Kind)
            {
                case GpuArgKind.Buffer:
                    *(ulong*)slot = (ulong)args[i].Buffer!.Handle;
                    break;
                case GpuArgKind.Int:
                    *(int*)slot = args[i].Int;
                    break;
                default:
                    *(float*)slot = args[i].Float;
                    break;
            }

            pointers[i] = slot;
        }

        var status = CudaNative.cuLaunchKernel(function, (uint)(global.X / local.X), (uint)(global.Y / local.Y), 1, (uint)local.X, (uint)local.Y, 1, 0, 0, pointers, null);
        if (status != CudaNative.Success)
        {
            // Named only on failure: formatting the message on every launch would allocate each time.
            Check(status, $"cuLaunchKernel({kernel})");
        }
    }

    public bool TryGemm(in GpuGemm gemm)
    {
        if (_cublas is null || CublasCall.For(gemm) is not { } call)
        {
            return false;
        }

        MakeCurrent();
        _cublas.Sgemm(gemm, call);
        return true;
    }

    private nint Function(GpuProgram program, string name)
    {
        lock (_gate)
        {
            if (_functions.TryGetValue((program.Handle, name), out var function))
            {
                return function;
            }

            var bytes = Encoding.ASCII.GetBytes(name + "\0");
            fixed (byte* text = bytes)
            {
                Check(CudaNative.cuModuleGetFunction(&function, program.Handle, text), $"cuModuleGetFunction({name})");
            }

            _functions.Add((program.Handle, name), function);
            return function;
        }
    }

    private void MakeCurrent() => Check(CudaNative.cuCtxSetCurrent(_context), "cuCtxSetCurrent");

    private static string Log(nint program)
    {
        nuint size;
        if (NvrtcNative.nvrtcGetProgramLogSize(program, &size) != NvrtcNative.Success)
        {
            return "(no log)";
        }

        var log = new byte[(int)size];
        fixed (byte* text = log)
        {
            NvrtcNative.nvrtcGetProgramLog(program, text);
        }

        return Encoding.UTF8.GetString(log).TrimEnd('\0');
    }

    private static void CheckRange(GpuBuffer buffer, int length, long byteOffset)
    {
        if (byteOffset < 0 || byteOffset + length > buffer.Bytes)
        {
            throw new ArgumentOutOfRangeException(nameof(byteOffset), $"{length} bytes at {byteOffset} do not fit a {buffer.Bytes}-byte device buffer.");
        }
    }

    private static string NvrtcError(int status) => Marshal.PtrToStringUTF8((nint)NvrtcNative.nvrtcGetErrorString(status)) ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void CheckNvrtc(int status, string call)
    {
        if (status != NvrtcNative.Success)
        {
            throw new GpuException($"CUDA: {call} failed: {NvrtcError(status)}.");
        }
    }

    private static void Check(int status, string call)
    {
        if (status == CudaNative.Success)
        {
            return;
        }

        byte* text;
        var message = CudaNative.cuGetErrorString(status, &text) == CudaNative.Success ? Marshal.PtrToStringUTF8((nint)text) : null;
        throw new GpuException($"CUDA: {call} failed with error {status}{(message is null ? string.Empty : " (" + message + ")")}.");
    }
}
