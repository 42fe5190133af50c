using System.Runtime.InteropServices;

namespace NetGen.Gpu.Cuda;

/// <summary>
/// The CUDA driver API (<c>libcuda.so.1</c>, installed with the NVIDIA driver), bound by
/// source-generated P/Invoke: the calls NetGen needs to load NVRTC's PTX, move memory and launch.
/// </summary>
internal static unsafe partial class CudaNative
{
    public const string LibraryName = "libcuda.so.1";

    public const int Success = 0;
    public const int ComputeCapabilityMajor = 75;
    public const int ComputeCapabilityMinor = 76;

    [LibraryImport(LibraryName)]
    public static partial int cuInit(uint flags);

    [LibraryImport(LibraryName)]
    public static partial int cuDeviceGetCount(int* count);

    [LibraryImport(LibraryName)]
    public static partial int cuDeviceGet(int* device, int ordinal);

    [LibraryImport(LibraryName)]
    public static partial int cuDeviceGetName(byte* name, int length, int device);

    [LibraryImport(LibraryName)]
    public static partial int cuDeviceGetAttribute(int* value, int attribute, int device);

    [LibraryImport(LibraryName)]
    public static partial int cuDevicePrimaryCtxRetain(nint* context, int device);

    [LibraryImport(LibraryName)]
    public static partial int cuCtxSetCurrent(nint context);

    [LibraryImport(LibraryName)]
    public static partial int cuCtxSynchronize();

    [LibraryImport(LibraryName)]
    public static partial int cuModuleLoadData(nint* module, byte* image);

    [LibraryImport(LibraryName)]
    public static partial int cuModuleGetFunction(nint* function, nint module, byte* name);

    [LibraryImport(LibraryName, EntryPoint = "cuMemAlloc_v2")]
    public static partial int cuMemAlloc(ulong* pointer, nuint bytes);

    [LibraryImport(LibraryName, EntryPoint = "cuMemFree_v2")]
    public static partial int cuMemFree(ulong pointer);

    [LibraryImport(LibraryName, EntryPoint = "cuMemcpyHtoD_v2")]
    public static partial int cuMemcpyHtoD(ulong destination, void* source, nuint bytes);

    [LibraryImport(LibraryName, EntryPoint = "cuMemcpyDtoH_v2")]
    public static partial int cuMemcpyDtoH(void* destination, ulong source, nuint bytes);

    [LibraryImport(LibraryName)]
    public static partial int cuLaunchKernel(
        nint function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ, uint sharedBytes, nint stream, void** parameters, void** extra);

    [LibraryImport(LibraryName)]
    public static partial int cuGetErrorString(int error, byte** text);
}
