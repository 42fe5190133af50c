using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace NetGen.Bench;

/// <summary>Debian's OpenBLAS (package libopenblas0-pthread), the reference for SGEMM speed.</summary>
internal static partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";
    public const int RowMajor = 101, NoTrans = 111, Trans = 112;

    /// <summary>
    /// The variables that pin OpenBLAS to weaker kernels than this CPU's: an inherited
    /// OPENBLAS_CORETYPE=Haswell forces its AVX2 kernels, OPENBLAS_L2_SIZE its blocking for another cache.
    /// </summary>
    private static readonly string[] PinningVariables = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"];

    // OpenBLAS reads its variables once, when the library loads, from the C environment (which
    // Environment.SetEnvironmentVariable does not change on Linux). Removing them there, before the
    // first load, gives the SGEMM comparison the AVX-512 kernels PyTorch's reference also runs
    // (torch_bench.py --openblas-coretype ''), while child processes keep the inherited environment.
    static OpenBlas()
    {
        var removed = new List<string>();
        foreach (var name in PinningVariables)
        {
            if (NativeEnvironmentVariable(name) is { } value && UnsetEnvironmentVariable(name) == 0)
            {
                removed.Add($"{name}={value}");
            }
        }

        Removed = removed.Count == 0 ? "none set" : string.Join(", ", removed) + " removed";
    }

    /// <summary>What the library was kept from seeing, for the report: <c>OPENBLAS_CORETYPE=Haswell, … removed</c> or <c>none set</c>.</summary>
    public static string Removed { get; }

    public static bool IsAvailable => NativeLibrary.TryLoad(Library, out _);

    [LibraryImport(Library, EntryPoint = "cblas_sgemm")]
    public static unsafe partial void Sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library, EntryPoint = "openblas_set_num_threads")]
    public static partial void SetThreads(int threads);

    [LibraryImport(Library, EntryPoint = "openblas_get_corename")]
    public static partial nint CoreName();

    /// <summary>The C environment's value of <paramref name="name"/> (what a native library sees), or null.</summary>
    private static string? NativeEnvironmentVariable(string name) => Marshal.PtrToStringAnsi(GetEnvironmentVariable(name));

    [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnsetEnvironmentVariable(string name);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetEnvironmentVariable(string name);
}
