using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>
/// Forward's step product at batch 1 to 3 for float on AVX-512, <c>c[r] = Σ_p a[p] · w[r, p]</c> for every row of
/// W_hh, which streams all of W_hh (256 KiB at the row-MNIST LSTM's 512 × 128) from L2 for each sample and step.
/// W_hh is packed once per pass (<see cref="Pack"/>) into blocks of 16 rows, each stored chunk after chunk of 16
/// columns (16 rows × 16 lanes, 1 KiB; lanes past the last column zero), so a step reads it as one sequential
/// stream; read where it lies, the 16 rows of a block came 512 B apart. Measured at 512 × 128 by thread CPU time,
/// best of 15-20, on a loaded machine: 1.6 µs a product packed (in a 64-byte aligned buffer) against 2.0 µs as it
/// lies; packing costs 2.7 µs a pass, so the row-MNIST LSTM's 27 products a pass save about 8 µs.
/// </summary>
internal static unsafe class RecurrentMatrixVector
{
    private const int Lanes = 16;

    /// <summary>Floats of one block: 16 rows of one 16-column chunk.</summary>
    private const int ChunkFloats = Lanes * Lanes;

    /// <summary>Where <see cref="DotRows16"/>'s reduction leaves each row's sum: lane 4·(r mod 4) + r div 4 holds row r's.</summary>
    private static readonly Vector512<int> SumOrder = Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);

    /// <summary>Floats <see cref="Pack"/> writes for W <c>[rows × columns]</c>: the whole blocks of 16 rows (the rows past them stay where they lie).</summary>
    public static int PackedLength(int rows, int columns) => rows / Lanes * Chunks(columns) * ChunkFloats;

    /// <summary>Packs the whole 16-row blocks of <paramref name="weights"/> <c>[rows × columns]</c>.</summary>
    public static void Pack(ReadOnlySpan<float> weights, int rows, int columns, Span<float> packed)
    {
        if (weights.Length < (long)rows * columns || packed.Length < PackedLength(rows, columns))
        {
            throw new ArgumentException($"Packing a {rows}x{columns} matrix needs {(long)rows * columns} values and {PackedLength(rows, columns)} packed floats, got {weights.Length} and {packed.Length}.");
        }

        var chunks = Chunks(columns);
        var tail = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(columns % Lanes)).AsSingle();
        fixed (float* from = weights, to = packed)
        {
            var target = to;
            for (var r = 0; r + Lanes <= rows; r += Lanes)
            {
                for (var q = 0; q < chunks; q++)
                {
                    var lanes = (q + 1) * Lanes <= columns ? Vector512<float>.AllBitsSet : tail;
                    var source = from + ((nint)r * columns) + (q * Lanes);
                    for (var j = 0; j < Lanes; j++, source += columns, target += Lanes)
                    {
                        Avx512F.MaskLoad(source, lanes, default).Store(target);
                    }
                }
            }
        }
    }

    /// <summary>
    /// <c>C[m × n] = A[m × k] · Wᵀ</c> with W <c>[n × k]</c>: its whole 16-row blocks from <paramref name="packed"/>
    /// (<see cref="Pack"/>), the rows left from <paramref name="weights"/> as it lies. One row of C at a time on the
    /// calling thread: a batch-1 step is a few microseconds, less than handing half of it to another core.
    /// </summary>
    public static void Multiply(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> packed, ReadOnlySpan<float> weights, Span<float> c)
    {
        if (a.Length < (long)m * k || weights.Length < (long)n * k || packed.Length != PackedLength(n, k) || c.Length < (long)m * n)
        {
            throw new ArgumentException($"Buffers do not fit a {m}x{k} by ({n}x{k})ᵀ product: A has {a.Length}, W {weights.Length}, packed W {packed.Length} (needs {PackedLength(n, k)}), C {c.Length} elements.");
        }

        fixed (float* pa = a, pp = packed, pw = weights, pc = c)
        {
            for (var i = 0; i < m; i++)
            {
                DotRows16(k, n, pa + ((nint)i * k), pp, pw, pc + ((nint)i * n));
            }
        }
    }

    private static int Chunks(int columns) => (columns + Lanes - 1) / Lanes;

    /// <summary>
    /// One row of C: 16 rows of W at a time, each in its own accumulator of 16 lanes (sixteen independent chains of
    /// multiply-adds over the block's chunks), the sixteen then reduced together into one vector of 16 sums
    /// (<see cref="SumHalves"/> and the two after it): 46 shuffles and adds where a horizontal sum per row takes about
    /// 8 each. Rows left over take one horizontal sum each. Measured on a loaded machine (load 25-37 on 2 cores, best
    /// of interleaved repeats): 1 × 512 × 128 took 5.5-6.7 µs against 7.7-8.5 µs with the dot kernel's one horizontal
    /// sum per element, and the row-MNIST LSTM's batch-1 inference 99 µs against 131 µs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotRows16(int k, int n, float* a, float* packed, float* w, float* c)
    {
        var tailMask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(k % Lanes)).AsSingle();
        int chunks = Chunks(k), whole = k / Lanes;
        var r = 0;
        for (var block = packed; r + Lanes <= n; r += Lanes)
        {
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            Vector512<float> s8 = default, s9 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
            for (var q = 0; q < chunks; q++, block += ChunkFloats)
            {
                // Lanes past the last column hold zero in the block and in x, so they add nothing.
                var x = q < whole ? Vector512.Load(a + (q * Lanes)) : Avx512F.MaskLoad(a + (q * Lanes), tailMask, default);
                s0 = Avx512F.FusedMultiplyAdd(Vector512.Load(block), x, s0);
                s1 = Avx512F.FusedMultiplyAdd(Vector512.Load(block + 16), x, s1);
                s2 = Avx512F.FusedMultiplyAdd(Vector512.Load(block + 32), x, s2);
                s3 = Avx512F.FusedMultiplyAdd(Vector512.Load(block + 48), x, s3);
                s4 = Avx512F.FusedMultiplyAdd(Vector512.Load(block + 64), x, s4);
                s5 = Avx512F.FusedMultiplyAdd(Vector512.Load(block + 80), x, s5);
                s6 = Avx512F.FusedMultiplyAdd(Vector512.Load(block + 96), x, s6);
                s7 = Avx512F.FusedMultiplyAdd(Vector512.Load(block + 112), x, s7);
                s8 = Avx512F.FusedMultiplyAdd(Vector512.Load(block + 128), x, s8);
                s9 = Avx512F.FusedMultiplyAdd(Vector512.Load(block + 144), x, s9);
                s10 = Avx512F.FusedMultiplyAdd(Vector512.Load(block + 160), x, s10);
                s11 = Avx512F.FusedMultiplyAdd(Vector512.Load(block + 176), x, s11);
                s12 = Avx512F.FusedMultiplyAdd(Vector512.Load(block + 192), x, s12);
                s13 = Avx512F.FusedMultiplyAdd(Vector512.Load(block + 208), x, s13);
                s14 = Avx512F.FusedMultiplyAdd(Vector512.Load(block + 224), x, s14);
                s15 = Avx512F.FusedMultiplyAdd(Vector512.Load(block + 240), x, s15);
            }

            var low = SumLanePairs(SumQuarters(SumHalves(s0, s1), SumHalves(s2, s3)), SumQuarters(SumHalves(s4, s5), SumHalves(s6, s7)));
            var high = SumLanePairs(SumQuarters(SumHalves(s8, s9), SumHalves(s10, s11)), SumQuarters(SumHalves(s12, s13), SumHalves(s14, s15)));
            Avx512F.PermuteVar16x32(SumLanePairs(low, high), SumOrder).Store(c + r);
        }

        for (; r < n; r++)
        {
            Vector512<float> sum = default;
            var row = w + ((nint)r * k);
            for (var p = 0; p < k; p += Lanes)
            {
                var lanes = p + Lanes <= k ? Vector512<float>.AllBitsSet : tailMask;
                sum = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + p, lanes, default), Avx512F.MaskLoad(a + p, lanes, default), sum);
            }

            c[r] = Vector512.Sum(sum);
        }
    }

    // Sixteen accumulators to one vector of their sums, in three kinds of pairwise steps. SumHalves(x, y) adds
    // the upper 256 bits of each to its lower ones: 128-bit blocks 0-1 hold x's partial sums, 2-3 y's.
    // SumQuarters of two such vectors leaves one 128-bit block per accumulator (four of them); SumLanePairs
    // adds neighbouring lanes within each block, twice over, so block j ends as the sums of accumulators
    // j, 4 + j, 8 + j and 12 + j, which SumOrder puts back in order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> SumHalves(Vector512<float> x, Vector512<float> y) =>
        Avx512F.Shuffle4x128(x, y, 0b01_00_01_00) + Avx512F.Shuffle4x128(x, y, 0b11_10_11_10);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> SumQuarters(Vector512<float> x, Vector512<float> y) =>
        Avx512F.Shuffle4x128(x, y, 0b10_00_10_00) + Avx512F.Shuffle4x128(x, y, 0b11_01_11_01);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> SumLanePairs(Vector512<float> x, Vector512<float> y) =>
        Avx512F.Shuffle(x, y, 0b10_00_10_00) + Avx512F.Shuffle(x, y, 0b11_01_11_01);
}
