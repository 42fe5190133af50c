using System.Runtime.InteropServices;

namespace NetGen.Bench;

/// <summary>Debian's OpenBLAS (package libopenblas0-pthread), the reference for SGEMM speed.</summary>
internal static partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";
    public const int RowMajor = 101, NoTrans = 111;

    public static bool IsAvailable => NativeLibrary.TryLoad(Library, out _);

    [LibraryImport(Library, EntryPoint = "cblas_sgemm")]
    public static unsafe partial void Sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library, EntryPoint = "openblas_set_num_threads")]
    public static partial void SetThreads(int threads);

    [LibraryImport(Library, EntryPoint = "openblas_get_corename")]
    public static partial nint CoreName();
}
