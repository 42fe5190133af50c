using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>
/// AVX-512 products that read A and B where they lie, without packing: for the small and skinny
/// products of small networks (a dense layer at batch 64, a convolution's per-sample product),
/// repacking an operand costs about as much as multiplying it, while both operands fit in L2 anyway.
/// Two register-blocked kernels, each 4 rows of C at a time:
/// <list type="bullet">
/// <item>B stored k × n (op(B) = B): broadcast <c>A(i, p)</c> times a row vector of B, 4 × 64 C tiles
/// accumulated over k in registers; A may be stored either way.</item>
/// <item>B stored n × k (op(B) = Bᵀ) with A stored m × k: 4 × 4 dot products of rows of A and B,
/// 16 lanes of partial sums each, reduced at the end.</item>
/// </list>
/// Each element's sum runs in the same order whichever tile, band or thread computes it, so results
/// do not depend on the thread count.
/// </summary>
internal static unsafe class GemmDirect
{
    private const int Lanes = 16;

    /// <summary>
    /// Operands of at most this many floats together (8 MiB) suit the dot kernel: it reads each row of A
    /// and B several times, from L2 or L3, which for these sizes still costs less than transposing B
    /// into packed panels one scalar at a time.
    /// </summary>
    private const long MaxDotOperandFloats = 1 << 21;

    /// <summary>
    /// Depth from which the dot kernel beats packing: each element of C costs one horizontal sum of 16
    /// lanes, which a shallow product does not amortise (measured: an LSTM's input projection
    /// 1792 × 512 × 28 took 2.2 ms with dot products against 0.5 ms packed).
    /// </summary>
    private const int MinDotDepth = 64;

    /// <summary>Depth up to which the broadcast kernel beats packing: the packed kernel's fixed cost per tile no longer amortises.</summary>
    private const int MaxBroadcastDepth = 16;

    /// <summary>
    /// B of at most this many floats (64 KiB, a 128 × 128 block) suits the broadcast kernel at any depth when
    /// its width is a multiple of 64 and the product is small (<see cref="MaxBroadcastMultiplyAdds"/>): B stays in
    /// cache while every 4-row band of A streams past it, so packing buys nothing but its own cost. Measured on
    /// one core, best of 15, GFLOP/s direct against packed: 64³ 205/142, 64 × 192 × 64 202/159, 128 × 64 × 128
    /// 217/174, 32 × 128 × 128 159/109; but 128³ 177/188, and a width that is no multiple of 64 runs its last
    /// columns 16 at a time: 96³ 65/164.
    /// </summary>
    private const long MaxBroadcastOperandFloats = 128 * 128;

    /// <summary>The multiply-adds up to which the broadcast kernel beats packing a cache-sized B (see <see cref="MaxBroadcastOperandFloats"/>).</summary>
    private const long MaxBroadcastMultiplyAdds = 1 << 20;

    /// <summary>
    /// Rows of C below which the dot kernel beats packing at any depth from <see cref="MinDotDepth"/>: the packed
    /// kernel computes whole 12-row tiles and packs all of B for them (1 × 512 × 128: 26 GFLOP/s dot, 7 packed).
    /// </summary>
    private const int MaxDotRows = 12;

    /// <summary>
    /// Depth from which the dot kernel also beats packing up to <see cref="MaxDotRowsWhenDeep"/> rows: 16 × 128 × 784
    /// ran 151 GFLOP/s dot against 81 packed; at k = 128 packing wins from 24 rows (24 × 512 × 128: 153 packed, 76 dot).
    /// </summary>
    private const int MinDotDepthForMoreRows = 512;

    /// <summary>See <see cref="MinDotDepthForMoreRows"/>: at 32 × 128 × 784 the two are level (142 and 144).</summary>
    private const int MaxDotRowsWhenDeep = 32;

    /// <summary>
    /// Columns of C below which the dot kernel beats the packed 32-wide tile, for up to 64 rows (64 × 10 × 128: 47 dot,
    /// 33 packed; 64 × 16 × 800: 156 dot, 67 packed; but 256 × 10 × 128: 37 dot, 47 packed).
    /// </summary>
    private const int MaxDotColumns = 32;

    /// <summary>Whether this CPU and storage order can run the direct kernels (A and B both transposed cannot).</summary>
    public static bool Supports(bool transposeA, bool transposeB) => Avx512F.IsSupported && !(transposeA && transposeB);

    /// <summary>
    /// Whether <see cref="GemmKernelKind.Auto"/> should pick the direct kernels for this product: the dot
    /// kernel when B is stored transposed, the operands are small enough and C is too short or too narrow
    /// for whole packed tiles (since packing transposes 4 × 4 blocks in registers, a full tile of rows packs
    /// cheaper than the dot kernel's horizontal sums: 64 × 512 × 128 ran 149 GFLOP/s packed against 58 dot);
    /// the broadcast kernel for shallow products (measured: at k = 9 it wins at any width; from k = 32 on
    /// the packed 12 × 32 tile wins on a wide B: 144 × 3872 × 32 took 400 µs packed against 495 µs broadcast)
    /// and for small products whose B stays in cache (<see cref="MaxBroadcastOperandFloats"/>).
    /// </summary>
    public static bool Suits(int m, int n, int k, bool transposeA, bool transposeB) =>
        Supports(transposeA, transposeB) && (transposeB
            ? k >= MinDotDepth && ((long)m * k) + ((long)k * n) <= MaxDotOperandFloats
                && (m < MaxDotRows || (m < MaxDotRowsWhenDeep && k >= MinDotDepthForMoreRows) || (n < MaxDotColumns && m <= 64))
            : k <= MaxBroadcastDepth
                || (n % (4 * Lanes) == 0 && (long)k * n <= MaxBroadcastOperandFloats && (long)m * n * k <= MaxBroadcastMultiplyAdds));

    /// <summary>Computes rows <c>[rowStart, rowEnd)</c> × columns <c>[colStart, colEnd)</c> of C, epilogue included, 4 rows at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(in GemmFloatProblem problem, int rowStart, int rowEnd, int colStart, int colEnd)
    {
        for (var i = rowStart; i < rowEnd; i += 4)
        {
            var rows = System.Math.Min(4, rowEnd - i);
            if (problem.TransposeB)
            {
                DotRows(problem, i, rows, colStart, colEnd);
            }
            else
            {
                BroadcastRows(problem, i, rows, colStart, colEnd);
            }

            if (!problem.Epilogue.IsEmpty)
            {
                problem.Epilogue.Apply(problem.C, problem.N, i, rows, colStart, colEnd - colStart);
            }
        }
    }

    /// <summary>
    /// <c>C[i.., j..] (+)= Σ_p A(i, p) · B[p, j..]</c>: 64 columns at a time, then single vectors, the
    /// last one masked to the columns left (masked lanes are neither read nor written).
    /// </summary>
    private static void BroadcastRows(in GemmFloatProblem p, int i, int rows, int colStart, int colEnd)
    {
        // A(i, p) lies at a[i·rowStep + p·depthStep] in either storage order.
        var rowStep = p.TransposeA ? 1 : (nint)p.K;
        var depthStep = p.TransposeA ? (nint)p.M : 1;
        var a = p.A + (i * rowStep);
        var j = colStart;
        if (rows == 4)
        {
            for (; j + (4 * Lanes) <= colEnd; j += 4 * Lanes)
            {
                Broadcast4x64(p.K, a, rowStep, depthStep, p.B + j, p.N, p.C + ((nint)i * p.N) + j, p.N, p.Accumulate);
            }
        }

        for (; j < colEnd; j += Lanes)
        {
            var lanes = LanesBelow(colEnd - j);
            for (var r = 0; r < rows; r++)
            {
                Broadcast1x16(p.K, a + (r * rowStep), depthStep, p.B + j, p.N, p.C + ((nint)(i + r) * p.N) + j, p.Accumulate, lanes);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Broadcast4x64(int k, float* a, nint rowStep, nint depthStep, float* b, nint ldb, float* c, nint ldc, bool accumulate)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        var a1 = a + rowStep;
        var a2 = a1 + rowStep;
        var a3 = a2 + rowStep;
        for (var p = 0; p < k; p++, b += ldb)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var b2 = Vector512.Load(b + 32);
            var b3 = Vector512.Load(b + 48);
            var offset = p * depthStep;
            var ai = Vector512.Create(a[offset]);
            c00 = Avx512F.FusedMultiplyAdd(ai, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(ai, b1, c01);
            c02 = Avx512F.FusedMultiplyAdd(ai, b2, c02);
            c03 = Avx512F.FusedMultiplyAdd(ai, b3, c03);
            ai = Vector512.Create(a1[offset]);
            c10 = Avx512F.FusedMultiplyAdd(ai, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(ai, b1, c11);
            c12 = Avx512F.FusedMultiplyAdd(ai, b2, c12);
            c13 = Avx512F.FusedMultiplyAdd(ai, b3, c13);
            ai = Vector512.Create(a2[offset]);
            c20 = Avx512F.FusedMultiplyAdd(ai, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(ai, b1, c21);
            c22 = Avx512F.FusedMultiplyAdd(ai, b2, c22);
            c23 = Avx512F.FusedMultiplyAdd(ai, b3, c23);
            ai = Vector512.Create(a3[offset]);
            c30 = Avx512F.FusedMultiplyAdd(ai, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(ai, b1, c31);
            c32 = Avx512F.FusedMultiplyAdd(ai, b2, c32);
            c33 = Avx512F.FusedMultiplyAdd(ai, b3, c33);
        }

        Store4(c, c00, c01, c02, c03, accumulate);
        Store4(c + ldc, c10, c11, c12, c13, accumulate);
        Store4(c + (2 * ldc), c20, c21, c22, c23, accumulate);
        Store4(c + (3 * ldc), c30, c31, c32, c33, accumulate);
    }

    /// <summary>One row, up to 16 columns: those of the lanes set in <paramref name="lanes"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Broadcast1x16(int k, float* a, nint depthStep, float* b, nint ldb, float* c, bool accumulate, Vector512<float> lanes)
    {
        Vector512<float> sum = default;
        for (var p = 0; p < k; p++, b += ldb)
        {
            sum = Avx512F.FusedMultiplyAdd(Vector512.Create(a[p * depthStep]), Avx512F.MaskLoad(b, lanes, default), sum);
        }

        if (accumulate)
        {
            sum += Avx512F.MaskLoad(c, lanes, default);
        }

        Avx512F.MaskStore(c, lanes, sum);
    }

    /// <summary>A mask of the first <paramref name="count"/> lanes (all 16 when count ≥ 16).</summary>
    private static Vector512<float> LanesBelow(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>
    /// <c>C[i, j] (+)= Σ_p A[i, p] · B[j, p]</c>: 4 columns of C at a time, then single columns. The
    /// depth runs 16 lanes at a time, the last step masked to the depth left.
    /// </summary>
    private static void DotRows(in GemmFloatProblem p, int i, int rows, int colStart, int colEnd)
    {
        var k = p.K;
        var tail = k % Lanes;
        var tailMask = LanesBelow(tail);
        for (var r = 0; r < rows; r += rows == 4 ? 4 : 1)
        {
            var a = p.A + ((nint)(i + r) * k);
            var c = p.C + ((nint)(i + r) * p.N);
            for (var j = colStart; j < colEnd; j++)
            {
                if (rows == 4 && j + 4 <= colEnd)
                {
                    Dot4x4(k, tail, tailMask, a, p.B + ((nint)j * k), c + j, p.N, p.Accumulate);
                    j += 3;
                    continue;
                }

                if (rows < 4 && j + 4 <= colEnd)
                {
                    Dot1x4(k, tail, tailMask, a, p.B + ((nint)j * k), c + j, p.Accumulate);
                    j += 3;
                    continue;
                }

                for (var rr = 0; rr < (rows == 4 ? 4 : 1); rr++)
                {
                    var value = Dot1x1(k, tail, tailMask, a + (rr * k), p.B + ((nint)j * k));
                    var target = c + (rr * p.N) + j;
                    *target = p.Accumulate ? *target + value : value;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot4x4(int k, int tail, Vector512<float> tailMask, float* a, float* b, float* c, nint ldc, bool accumulate)
    {
        Vector512<float> s00 = default, s01 = default, s02 = default, s03 = default;
        Vector512<float> s10 = default, s11 = default, s12 = default, s13 = default;
        Vector512<float> s20 = default, s21 = default, s22 = default, s23 = default;
        Vector512<float> s30 = default, s31 = default, s32 = default, s33 = default;
        float* a1 = a + k, a2 = a1 + k, a3 = a2 + k, b1 = b + k, b2 = b1 + k, b3 = b2 + k;
        var p = 0;
        var end = k - tail;
        while (true)
        {
            Vector512<float> x0, x1, x2, x3, w0, w1, w2, w3;
            if (p < end)
            {
                x0 = Vector512.Load(a + p);
                x1 = Vector512.Load(a1 + p);
                x2 = Vector512.Load(a2 + p);
                x3 = Vector512.Load(a3 + p);
                w0 = Vector512.Load(b + p);
                w1 = Vector512.Load(b1 + p);
                w2 = Vector512.Load(b2 + p);
                w3 = Vector512.Load(b3 + p);
                p += Lanes;
            }
            else if (tail > 0)
            {
                x0 = Avx512F.MaskLoad(a + end, tailMask, default);
                x1 = Avx512F.MaskLoad(a1 + end, tailMask, default);
                x2 = Avx512F.MaskLoad(a2 + end, tailMask, default);
                x3 = Avx512F.MaskLoad(a3 + end, tailMask, default);
                w0 = Avx512F.MaskLoad(b + end, tailMask, default);
                w1 = Avx512F.MaskLoad(b1 + end, tailMask, default);
                w2 = Avx512F.MaskLoad(b2 + end, tailMask, default);
                w3 = Avx512F.MaskLoad(b3 + end, tailMask, default);
                tail = 0;
            }
            else
            {
                break;
            }

            s00 = Avx512F.FusedMultiplyAdd(x0, w0, s00);
            s01 = Avx512F.FusedMultiplyAdd(x0, w1, s01);
            s02 = Avx512F.FusedMultiplyAdd(x0, w2, s02);
            s03 = Avx512F.FusedMultiplyAdd(x0, w3, s03);
            s10 = Avx512F.FusedMultiplyAdd(x1, w0, s10);
            s11 = Avx512F.FusedMultiplyAdd(x1, w1, s11);
            s12 = Avx512F.FusedMultiplyAdd(x1, w2, s12);
            s13 = Avx512F.FusedMultiplyAdd(x1, w3, s13);
            s20 = Avx512F.FusedMultiplyAdd(x2, w0, s20);
            s21 = Avx512F.FusedMultiplyAdd(x2, w1, s21);
            s22 = Avx512F.FusedMultiplyAdd(x2, w2, s22);
            s23 = Avx512F.FusedMultiplyAdd(x2, w3, s23);
            s30 = Avx512F.FusedMultiplyAdd(x3, w0, s30);
            s31 = Avx512F.FusedMultiplyAdd(x3, w1, s31);
            s32 = Avx512F.FusedMultiplyAdd(x3, w2, s32);
            s33 = Avx512F.FusedMultiplyAdd(x3, w3, s33);
        }

        StoreSums(c, s00, s01, s02, s03, accumulate);
        StoreSums(c + ldc, s10, s11, s12, s13, accumulate);
        StoreSums(c + (2 * ldc), s20, s21, s22, s23, accumulate);
        StoreSums(c + (3 * ldc), s30, s31, s32, s33, accumulate);
    }

    /// <summary>
    /// One row of A against 4 columns of B, summed lane by lane exactly as <see cref="Dot4x4"/>: the
    /// matrix-vector product of a batch-1 recurrent step (<c>h·W_hhᵀ</c>), where single dot products
    /// would wait on one chain of dependent multiply-adds each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dot1x4(int k, int tail, Vector512<float> tailMask, float* a, float* b, float* c, bool accumulate)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        float* b1 = b + k, b2 = b1 + k, b3 = b2 + k;
        var end = k - tail;
        for (var p = 0; p < end; p += Lanes)
        {
            var x = Vector512.Load(a + p);
            s0 = Avx512F.FusedMultiplyAdd(x, Vector512.Load(b + p), s0);
            s1 = Avx512F.FusedMultiplyAdd(x, Vector512.Load(b1 + p), s1);
            s2 = Avx512F.FusedMultiplyAdd(x, Vector512.Load(b2 + p), s2);
            s3 = Avx512F.FusedMultiplyAdd(x, Vector512.Load(b3 + p), s3);
        }

        if (tail > 0)
        {
            var x = Avx512F.MaskLoad(a + end, tailMask, default);
            s0 = Avx512F.FusedMultiplyAdd(x, Avx512F.MaskLoad(b + end, tailMask, default), s0);
            s1 = Avx512F.FusedMultiplyAdd(x, Avx512F.MaskLoad(b1 + end, tailMask, default), s1);
            s2 = Avx512F.FusedMultiplyAdd(x, Avx512F.MaskLoad(b2 + end, tailMask, default), s2);
            s3 = Avx512F.FusedMultiplyAdd(x, Avx512F.MaskLoad(b3 + end, tailMask, default), s3);
        }

        StoreSums(c, s0, s1, s2, s3, accumulate);
    }

    /// <summary>One dot product, summed lane by lane exactly as <see cref="Dot4x4"/> sums each of its 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot1x1(int k, int tail, Vector512<float> tailMask, float* a, float* b)
    {
        Vector512<float> sum = default;
        var end = k - tail;
        for (var p = 0; p < end; p += Lanes)
        {
            sum = Avx512F.FusedMultiplyAdd(Vector512.Load(a + p), Vector512.Load(b + p), sum);
        }

        if (tail > 0)
        {
            sum = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(a + end, tailMask, default), Avx512F.MaskLoad(b + end, tailMask, default), sum);
        }

        return Vector512.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSums(float* c, Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3, bool accumulate)
    {
        var v0 = Vector512.Sum(s0);
        var v1 = Vector512.Sum(s1);
        var v2 = Vector512.Sum(s2);
        var v3 = Vector512.Sum(s3);
        if (accumulate)
        {
            v0 += c[0];
            v1 += c[1];
            v2 += c[2];
            v3 += c[3];
        }

        c[0] = v0;
        c[1] = v1;
        c[2] = v2;
        c[3] = v3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(float* c, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + 16);
            v2 += Vector512.Load(c + 32);
            v3 += Vector512.Load(c + 48);
        }

        v0.Store(c);
        v1.Store(c + 16);
        v2.Store(c + 32);
        v3.Store(c + 48);
    }
}
