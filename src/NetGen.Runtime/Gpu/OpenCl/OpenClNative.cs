using System.Runtime.InteropServices;

namespace NetGen.Gpu.OpenCl;

/// <summary>
/// The OpenCL 1.2 C API through the ICD loader (<c>libOpenCL.so.1</c>), bound by source-generated
/// P/Invoke. Handles are <c>nint</c>, <c>size_t</c> is <c>nuint</c>, bitfields are <c>ulong</c>.
/// </summary>
internal static unsafe partial class OpenClNative
{
    public const string LibraryName = "libOpenCL.so.1";

    public const int Success = 0;
    public const int PlatformNotFound = -1001;
    public const ulong DeviceTypeAll = 0xFFFFFFFF;
    public const uint DeviceName = 0x102B;
    public const uint PlatformName = 0x0902;
    public const uint ProgramBuildLog = 0x1183;
    public const ulong MemReadWrite = 1;

    [LibraryImport(LibraryName)]
    public static partial int clGetPlatformIDs(uint entries, nint* platforms, uint* count);

    [LibraryImport(LibraryName)]
    public static partial int clGetPlatformInfo(nint platform, uint name, nuint size, byte* value, nuint* sizeReturned);

    [LibraryImport(LibraryName)]
    public static partial int clGetDeviceIDs(nint platform, ulong type, uint entries, nint* devices, uint* count);

    [LibraryImport(LibraryName)]
    public static partial int clGetDeviceInfo(nint device, uint name, nuint size, byte* value, nuint* sizeReturned);

    [LibraryImport(LibraryName)]
    public static partial nint clCreateContext(nint* properties, uint count, nint* devices, nint callback, nint userData, int* error);

    [LibraryImport(LibraryName)]
    public static partial nint clCreateCommandQueue(nint context, nint device, ulong properties, int* error);

    [LibraryImport(LibraryName)]
    public static partial nint clCreateProgramWithSource(nint context, uint count, byte** strings, nuint* lengths, int* error);

    [LibraryImport(LibraryName)]
    public static partial int clBuildProgram(nint program, uint count, nint* devices, byte* options, nint callback, nint userData);

    [LibraryImport(LibraryName)]
    public static partial int clGetProgramBuildInfo(nint program, nint device, uint name, nuint size, byte* value, nuint* sizeReturned);

    [LibraryImport(LibraryName)]
    public static partial nint clCreateKernel(nint program, byte* name, int* error);

    [LibraryImport(LibraryName)]
    public static partial int clSetKernelArg(nint kernel, uint index, nuint size, void* value);

    [LibraryImport(LibraryName)]
    public static partial int clEnqueueNDRangeKernel(nint queue, nint kernel, uint dimensions, nuint* offset, nuint* global, nuint* local, uint waitCount, nint* waitList, nint* evt);

    [LibraryImport(LibraryName)]
    public static partial nint clCreateBuffer(nint context, ulong flags, nuint size, void* host, int* error);

    [LibraryImport(LibraryName)]
    public static partial int clEnqueueWriteBuffer(nint queue, nint buffer, uint blocking, nuint offset, nuint size, void* source, uint waitCount, nint* waitList, nint* evt);

    [LibraryImport(LibraryName)]
    public static partial int clEnqueueReadBuffer(nint queue, nint buffer, uint blocking, nuint offset, nuint size, void* destination, uint waitCount, nint* waitList, nint* evt);

    [LibraryImport(LibraryName)]
    public static partial int clReleaseMemObject(nint buffer);
}
