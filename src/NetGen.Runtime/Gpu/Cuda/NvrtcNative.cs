using System.Runtime.InteropServices;

namespace NetGen.Gpu.Cuda;

/// <summary>NVRTC, CUDA's run-time compiler (<c>libnvrtc.so</c>): CUDA C++ source to PTX.</summary>
internal static unsafe partial class NvrtcNative
{
    public const string LibraryName = "libnvrtc.so";

    public const int Success = 0;

    [LibraryImport(LibraryName)]
    public static partial int nvrtcCreateProgram(nint* program, byte* source, byte* name, int headerCount, byte** headers, byte** includeNames);

    [LibraryImport(LibraryName)]
    public static partial int nvrtcCompileProgram(nint program, int optionCount, byte** options);

    [LibraryImport(LibraryName)]
    public static partial int nvrtcGetProgramLogSize(nint program, nuint* size);

    [LibraryImport(LibraryName)]
    public static partial int nvrtcGetProgramLog(nint program, byte* log);

    [LibraryImport(LibraryName)]
    public static partial int nvrtcGetPTXSize(nint program, nuint* size);

    [LibraryImport(LibraryName)]
    public static partial int nvrtcGetPTX(nint program, byte* ptx);

    [LibraryImport(LibraryName)]
    public static partial int nvrtcDestroyProgram(nint* program);

    [LibraryImport(LibraryName)]
    public static partial byte* nvrtcGetErrorString(int result);
}
