using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>
/// The register-tile kernels of the float GEMM. Each computes one full <c>MR × NR</c> tile of C from
/// an A micro-panel (<c>kc</c> steps of MR values, broadcast one at a time) and a B micro-panel
/// (<c>kc</c> steps of NR contiguous values, loaded as vectors), summing over k in order into
/// register accumulators and touching C once at the end: stored when <c>accumulate</c> is false,
/// added to C otherwise. Every element's sum uses the same operation order whatever tile or thread
/// it lands in, so results do not depend on the thread count.
/// </summary>
internal static unsafe class GemmMicroKernels
{
    /// <summary>AVX-512 12×32: 24 zmm accumulators, 2 B vectors and 1 broadcast of the 32 registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Avx512x12x32(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        PrefetchTile(c, ldc, 12, 32);
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.LoadAligned(b);
            var b1 = Vector512.LoadAligned(b + 16);
            var ai = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(ai, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(ai, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(ai, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(ai, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(ai, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(ai, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(ai, b1, c51);
            ai = Vector512.Create(a[6]);
            c60 = Avx512F.FusedMultiplyAdd(ai, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(ai, b1, c61);
            ai = Vector512.Create(a[7]);
            c70 = Avx512F.FusedMultiplyAdd(ai, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(ai, b1, c71);
            ai = Vector512.Create(a[8]);
            c80 = Avx512F.FusedMultiplyAdd(ai, b0, c80);
            c81 = Avx512F.FusedMultiplyAdd(ai, b1, c81);
            ai = Vector512.Create(a[9]);
            c90 = Avx512F.FusedMultiplyAdd(ai, b0, c90);
            c91 = Avx512F.FusedMultiplyAdd(ai, b1, c91);
            ai = Vector512.Create(a[10]);
            ca0 = Avx512F.FusedMultiplyAdd(ai, b0, ca0);
            ca1 = Avx512F.FusedMultiplyAdd(ai, b1, ca1);
            ai = Vector512.Create(a[11]);
            cb0 = Avx512F.FusedMultiplyAdd(ai, b0, cb0);
            cb1 = Avx512F.FusedMultiplyAdd(ai, b1, cb1);
            a += 12;
            b += 32;
        }

        Store512(c, c00, c01, accumulate);
        Store512(c + ldc, c10, c11, accumulate);
        Store512(c + (2 * ldc), c20, c21, accumulate);
        Store512(c + (3 * ldc), c30, c31, accumulate);
        Store512(c + (4 * ldc), c40, c41, accumulate);
        Store512(c + (5 * ldc), c50, c51, accumulate);
        Store512(c + (6 * ldc), c60, c61, accumulate);
        Store512(c + (7 * ldc), c70, c71, accumulate);
        Store512(c + (8 * ldc), c80, c81, accumulate);
        Store512(c + (9 * ldc), c90, c91, accumulate);
        Store512(c + (10 * ldc), ca0, ca1, accumulate);
        Store512(c + (11 * ldc), cb0, cb1, accumulate);
    }

    /// <summary>
    /// AVX-512 4×32 from a 12-row A micro-panel (<paramref name="aStride"/> values a k step): the rows of an
    /// edge tile 4 at a time, so a tile of 4 rows, such as the last of a batch of 64 (5 × 12 + 4), costs a
    /// third of <see cref="Avx512x12x32"/> instead of all of it (measured in <see cref="GemmFloat"/>'s RunEdge).
    /// 8 accumulators: as many as 2 FMA pipes of latency 4 keep busy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Avx512x4x32(int kc, float* a, nint aStride, float* b, float* c, nint ldc, bool accumulate)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.LoadAligned(b);
            var b1 = Vector512.LoadAligned(b + 16);
            var ai = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(ai, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(ai, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(ai, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(ai, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(ai, b1, c31);
            a += aStride;
            b += 32;
        }

        Store512(c, c00, c01, accumulate);
        Store512(c + ldc, c10, c11, accumulate);
        Store512(c + (2 * ldc), c20, c21, accumulate);
        Store512(c + (3 * ldc), c30, c31, accumulate);
    }

    /// <summary>AVX2 6×16: 12 ymm accumulators, 2 B vectors and 1 broadcast of the 16 registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Avx2x6x16(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        PrefetchTile(c, ldc, 6, 16);
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.LoadAligned(b);
            var b1 = Vector256.LoadAligned(b + 8);
            var ai = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(ai, b0, c00);
            c01 = Fma.MultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(ai, b0, c10);
            c11 = Fma.MultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(ai, b0, c20);
            c21 = Fma.MultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(ai, b0, c30);
            c31 = Fma.MultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(ai, b0, c40);
            c41 = Fma.MultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(ai, b0, c50);
            c51 = Fma.MultiplyAdd(ai, b1, c51);
            a += 6;
            b += 16;
        }

        Store256(c, c00, c01, accumulate);
        Store256(c + ldc, c10, c11, accumulate);
        Store256(c + (2 * ldc), c20, c21, accumulate);
        Store256(c + (3 * ldc), c30, c31, accumulate);
        Store256(c + (4 * ldc), c40, c41, accumulate);
        Store256(c + (5 * ldc), c50, c51, accumulate);
    }

    /// <summary>
    /// Portable 4 × (2 · <see cref="Vector{T}.Count"/>): 8 accumulators, which fits the register file
    /// of every SIMD target .NET supports.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Portable4xTwoVectors(int kc, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        var w = Vector<float>.Count;
        Vector<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector<float> c20 = default, c21 = default, c30 = default, c31 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector.Load(b);
            var b1 = Vector.Load(b + w);
            var ai = new Vector<float>(a[0]);
            c00 = Vector.MultiplyAddEstimate(ai, b0, c00);
            c01 = Vector.MultiplyAddEstimate(ai, b1, c01);
            ai = new Vector<float>(a[1]);
            c10 = Vector.MultiplyAddEstimate(ai, b0, c10);
            c11 = Vector.MultiplyAddEstimate(ai, b1, c11);
            ai = new Vector<float>(a[2]);
            c20 = Vector.MultiplyAddEstimate(ai, b0, c20);
            c21 = Vector.MultiplyAddEstimate(ai, b1, c21);
            ai = new Vector<float>(a[3]);
            c30 = Vector.MultiplyAddEstimate(ai, b0, c30);
            c31 = Vector.MultiplyAddEstimate(ai, b1, c31);
            a += 4;
            b += 2 * w;
        }

        StorePortable(c, c00, c01, accumulate);
        StorePortable(c + ldc, c10, c11, accumulate);
        StorePortable(c + (2 * ldc), c20, c21, accumulate);
        StorePortable(c + (3 * ldc), c30, c31, accumulate);
    }

    /// <summary>
    /// Starts loading the C tile while the k loop runs: its rows lie n floats apart, so for n a multiple
    /// of 1024 they share cache sets and the hardware prefetcher never sees them coming.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, nint ldc, int rows, int columns)
    {
        for (var r = 0; r < rows; r++, c += ldc)
        {
            Sse.Prefetch0(c);
            Sse.Prefetch0(c + columns - 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* c, Vector512<float> v0, Vector512<float> v1, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + 16);
        }

        v0.Store(c);
        v1.Store(c + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* c, Vector256<float> v0, Vector256<float> v1, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector256.Load(c);
            v1 += Vector256.Load(c + 8);
        }

        v0.Store(c);
        v1.Store(c + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePortable(float* c, Vector<float> v0, Vector<float> v1, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector.Load(c);
            v1 += Vector.Load(c + Vector<float>.Count);
        }

        v0.Store(c);
        v1.Store(c + Vector<float>.Count);
    }
}
