using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>
/// The per-step products of a recurrent layer's time loop, <c>C[batch × n] (+)= A[batch × k] · B[k × n]</c>
/// with B stored k × n: forward's <c>h_{t−1}·W_hhᵀ</c> against W_hh transposed once per pass (see
/// <see cref="ForwardWeights{T}"/>), and backward's <c>dz·W_hh</c> against W_hh as it lies. With B stored
/// that way each row of C is a sum of broadcast multiples of B's rows: no horizontal sum per element
/// (the dot-product kernel's 16-lane reductions) and no packing per step (the packed kernel would
/// repack the same W_hh at every one of the 28 steps of a pass). A batch below
/// <see cref="MinTransposedBatch"/> runs forward's product against W_hh as it lies instead, 16 rows of
/// W_hh at a time (<see cref="DotRows16"/>).
/// </summary>
/// <remarks>
/// On AVX-512, batches of 4 or more run <see cref="RecurrentPanelProduct"/> (4 × 64 broadcast tiles against
/// panels of B packed once per pass, which stay in L1); fewer rows, such as batch 1's vector-matrix products, run
/// <see cref="BroadcastRow"/> (backward) and <see cref="DotRows16"/> (forward). Both on the calling thread.
/// Elsewhere (and for double) the products go through <see cref="Gemm"/>'s general path.
/// </remarks>
internal static unsafe class RecurrentProduct
{
    private const int Lanes = 16;

    /// <summary>Columns one pass of <see cref="BroadcastRow"/> keeps in registers: 8 vectors, enough independent multiply-adds to cover their latency.</summary>
    private const int RowBlock = 8 * Lanes;

    /// <summary>Where <see cref="DotRows16"/>'s reduction leaves each row's sum: lane 4·(r mod 4) + r div 4 holds row r's.</summary>
    private static readonly Vector512<int> SumOrder = Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);

    /// <summary>
    /// Batches from which the step products run against W_hh laid out once per pass (<see cref="ForwardWeights{T}"/>,
    /// <see cref="BackwardWeights{T}"/>). Transposing 512 × 128 costs about 20 µs, seven of batch 1's
    /// matrix-vector products, which the transposed layout does not speed up (measured 2.8 µs against 2.7 µs a
    /// step: both stream the 256 KiB of W_hh from L2); at batch 64 it halved each step (52 µs against 109 µs).
    /// </summary>
    internal const int MinTransposedBatch = 4;

    /// <summary>Floats of <c>h_{t−1}</c> (batch × hidden) up to which <see cref="AccumulateWeightGradient{T}"/> runs the broadcast kernel: 64 KiB, which stays in L1/L2 while every band of dz streams past it.</summary>
    private const long MaxDirectGradientFloats = 1 << 14;

    /// <summary>
    /// Forward's B, <c>W_hhᵀ</c>, laid out for a pass over <paramref name="batch"/> samples in the calling thread's
    /// buffer (allocated on the first pass and when a larger layer comes, then reused: no training step
    /// allocates): for float on AVX-512 packed in <see cref="RecurrentPanelProduct"/>'s panels, elsewhere
    /// transposed; empty when <paramref name="batch"/> is below <see cref="MinTransposedBatch"/>. Valid until the
    /// thread's next call of this or <see cref="BackwardWeights{T}"/>.
    /// </summary>
    public static ReadOnlySpan<T> ForwardWeights<T>(ReadOnlySpan<T> weights, int rows, int columns, int batch)
        where T : unmanaged
    {
        if (batch < MinTransposedBatch)
        {
            return default;
        }

        if (typeof(T) == typeof(float) && Avx512F.IsSupported)
        {
            var packed = ThreadScratch<ScratchPurpose.TransposedWeights, T>.Rent(RecurrentPanelProduct.PackedLength(columns, rows));
            RecurrentPanelProduct.Pack(MemoryMarshal.Cast<T, float>(weights), columns, rows, transposed: true, MemoryMarshal.Cast<T, float>(packed));
            return packed;
        }

        var transposed = ThreadScratch<ScratchPurpose.TransposedWeights, T>.Rent(rows * columns);
        Transpose(weights, transposed, rows, columns);
        return transposed;
    }

    /// <summary>
    /// Backward's B, W_hh as it lies, packed in <see cref="RecurrentPanelProduct"/>'s panels for a pass over
    /// <paramref name="batch"/> samples (float on AVX-512, from <see cref="MinTransposedBatch"/> samples; else
    /// empty, and <see cref="MultiplyBackward{T}"/> reads W_hh where it lies). Same buffer and validity as
    /// <see cref="ForwardWeights{T}"/>.
    /// </summary>
    public static ReadOnlySpan<T> BackwardWeights<T>(ReadOnlySpan<T> weights, int rows, int columns, int batch)
        where T : unmanaged
    {
        if (batch < MinTransposedBatch || typeof(T) != typeof(float) || !Avx512F.IsSupported)
        {
            return default;
        }

        var packed = ThreadScratch<ScratchPurpose.TransposedWeights, T>.Rent(RecurrentPanelProduct.PackedLength(rows, columns));
        RecurrentPanelProduct.Pack(MemoryMarshal.Cast<T, float>(weights), rows, columns, transposed: false, MemoryMarshal.Cast<T, float>(packed));
        return packed;
    }

    /// <summary>
    /// Forward's step product <c>C[m × n] = A[m × k] · Wᵀ</c> with W <c>[n × k]</c>, on the calling thread (a step
    /// is tens of microseconds; the time loop splits whole passes over the pool, <c>RecurrentLayer.Parts.cs</c>):
    /// against <paramref name="prepared"/> (W as <see cref="ForwardWeights{T}"/> laid it out) when it is not
    /// empty, else against W as it lies.
    /// </summary>
    public static void MultiplyForward<T>(int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> weights, ReadOnlySpan<T> prepared, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (prepared.IsEmpty)
        {
            MultiplyByRows(m, n, k, a, weights, c);
        }
        else if (typeof(T) == typeof(float) && Avx512F.IsSupported)
        {
            RecurrentPanelProduct.Multiply(m, n, k, MemoryMarshal.Cast<T, float>(a), false, MemoryMarshal.Cast<T, float>(prepared), MemoryMarshal.Cast<T, float>(c), false);
        }
        else
        {
            Gemm.Multiply(false, false, m, n, k, a, prepared, c, false);
        }
    }

    /// <summary>
    /// <c>C[m × n] = A[m × k] · Wᵀ</c> with W <c>[n × k]</c> as it lies, for the few rows of a small batch:
    /// on AVX-512 each row of C runs <see cref="DotRows16"/> on the calling thread (a batch-1 step is a few
    /// microseconds, less than handing half of it to another core and waiting for it); else <see cref="Gemm"/>.
    /// </summary>
    private static void MultiplyByRows<T>(int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> weights, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) || !Avx512F.IsSupported)
        {
            Gemm.Multiply(false, true, m, n, k, a, weights, c, false);
            return;
        }

        ReadOnlySpan<float> fa = MemoryMarshal.Cast<T, float>(a), fw = MemoryMarshal.Cast<T, float>(weights);
        var fc = MemoryMarshal.Cast<T, float>(c);
        if (fa.Length < m * k || fw.Length < n * k || fc.Length < m * n)
        {
            throw new ArgumentException($"Buffers too small for a {m}x{k} by ({n}x{k})ᵀ product: A has {fa.Length}, W {fw.Length}, C {fc.Length} elements.");
        }

        fixed (float* pa = fa, pw = fw, pc = fc)
        {
            for (var i = 0; i < m; i++)
            {
                DotRows16(k, n, pa + (i * k), pw, pc + (i * n));
            }
        }
    }

    /// <summary>
    /// <c>c[r] = Σ_p a[p] · w[r, p]</c> for the <paramref name="n"/> rows of w: 16 rows at a time, each in its
    /// own accumulator of 16 lanes (sixteen independent chains of multiply-adds, w read row after row as it
    /// lies), the sixteen then reduced together into one vector of 16 sums (<see cref="SumHalves"/> and
    /// the two after it): 46 shuffles and adds where a horizontal sum per row takes about 8 each. Rows left
    /// over take one horizontal sum each. Measured on a loaded machine (load 25-37 on 2 cores, best of
    /// interleaved repeats): 1 × 512 × 128 took 5.5-6.7 µs against 7.7-8.5 µs with the dot kernel's one
    /// horizontal sum per element, and the row-MNIST LSTM's batch-1 inference 99 µs against 131 µs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotRows16(int k, int n, float* a, float* w, float* c)
    {
        var tailMask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(k % Lanes)).AsSingle();
        var r = 0;
        for (; r + Lanes <= n; r += Lanes)
        {
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            Vector512<float> s8 = default, s9 = default, s10 = default, s11 = default, s12 = default, s13 = default, s14 = default, s15 = default;
            var row = w + ((nint)r * k);
            for (var p = 0; p < k; p += Lanes, row += Lanes)
            {
                var lanes = p + Lanes <= k ? Vector512<float>.AllBitsSet : tailMask;
                var x = Avx512F.MaskLoad(a + p, lanes, default);
                s0 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row, lanes, default), x, s0);
                s1 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + k, lanes, default), x, s1);
                s2 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + (2 * k), lanes, default), x, s2);
                s3 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + (3 * k), lanes, default), x, s3);
                s4 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + (4 * k), lanes, default), x, s4);
                s5 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + (5 * k), lanes, default), x, s5);
                s6 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + (6 * k), lanes, default), x, s6);
                s7 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + (7 * k), lanes, default), x, s7);
                s8 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + (8 * k), lanes, default), x, s8);
                s9 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + (9 * k), lanes, default), x, s9);
                s10 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + (10 * k), lanes, default), x, s10);
                s11 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + (11 * k), lanes, default), x, s11);
                s12 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + (12 * k), lanes, default), x, s12);
                s13 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + (13 * k), lanes, default), x, s13);
                s14 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + (14 * k), lanes, default), x, s14);
                s15 = Avx512F.FusedMultiplyAdd(Avx512F.MaskLoad(row + (15 * k), lanes, default), x, s15);
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

    /// <summary>
    /// One step's <c>dW_hh[rows × hidden] (+)= dzᵀ · h_{t−1}</c> from <paramref name="dz"/> <c>[batch × rows]</c> and
    /// <paramref name="hidden"/> <c>[batch × columns]</c>. On AVX-512, when <c>h_{t−1}</c> fits in L1
    /// (<see cref="MaxDirectGradientFloats"/>), the broadcast kernel reads dz where it lies: at the row-MNIST
    /// LSTM's 512 × 128 × 64 it took 52 µs a step against 60 µs packing both operands (best of 40, interleaved,
    /// on a loaded machine). Like every direct product its sums do not depend on the thread count.
    /// </summary>
    public static void AccumulateWeightGradient<T>(int rows, int columns, int batch, ReadOnlySpan<T> dz, ReadOnlySpan<T> hidden, Span<T> gradient, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) || !DirectWeightGradient(columns, batch))
        {
            Gemm.Multiply(true, false, rows, columns, batch, dz, hidden, gradient, accumulate);
            return;
        }

        Gemm.MultiplyFloat(true, false, rows, columns, batch, MemoryMarshal.Cast<T, float>(dz), MemoryMarshal.Cast<T, float>(hidden), MemoryMarshal.Cast<T, float>(gradient), accumulate, default, GemmKernelKind.Avx512Direct, Gemm.MaxThreads);
    }

    /// <summary>Whether a step's weight gradient runs the broadcast kernel: on AVX-512, while <c>h_{t−1}</c> fits in L1 (<see cref="MaxDirectGradientFloats"/>).</summary>
    internal static bool DirectWeightGradient(int columns, int batch) => Avx512F.IsSupported && (long)batch * columns <= MaxDirectGradientFloats;

    /// <summary>
    /// <c>dW_ih[rows × inputs] = dzᵀ · x</c> over <paramref name="count"/> rows (every step of every sample),
    /// computed as <c>(xᵀ · dz)ᵀ</c>: the product is then <c>inputs × rows</c>, wide rather than 28 columns
    /// narrow, which the 64-column tiles cover without a masked remainder (the row-MNIST LSTM's
    /// 512 × 28 × 1792 took 530 µs this way, transposition included, against 900 µs; best of 30, interleaved,
    /// on a loaded machine). Float on AVX-512 runs it through <see cref="RecurrentPanelProduct.MultiplyUnpacked"/>:
    /// 360 µs against the packed general product's 499 (thread CPU time, best of 15, loaded machine). The product
    /// lands in the thread's scratch, then is transposed into <paramref name="gradient"/>.
    /// </summary>
    public static void InputWeightGradient<T>(int rows, int inputs, int count, ReadOnlySpan<T> dz, ReadOnlySpan<T> x, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var transposed = ThreadScratch<ScratchPurpose.TransposedWeightGradient, T>.Rent(inputs * rows);
        if (typeof(T) == typeof(float) && Avx512F.IsSupported)
        {
            RecurrentPanelProduct.MultiplyUnpacked(inputs, rows, count, MemoryMarshal.Cast<T, float>(x), true, MemoryMarshal.Cast<T, float>(dz), MemoryMarshal.Cast<T, float>(transposed), false);
        }
        else
        {
            Gemm.Multiply(true, false, inputs, rows, count, x, dz, transposed, false);
        }

        Transpose<T>(transposed, gradient, inputs, rows);
    }

    /// <summary>
    /// The input projection of every step, <c>gates[count × rows] = x[count × inputs] · W_ihᵀ + b_ih</c>. Float on
    /// AVX-512 packs W_ihᵀ into <see cref="RecurrentPanelProduct"/>'s panels (the thread's buffer of
    /// <see cref="ForwardWeights{T}"/>, free until the time loop asks for it) and starts each sum from <c>b_ih</c>:
    /// at the row-MNIST LSTM's 1,792 × 512 × 28 the packed general product, its 12-row tiles and both packings, took
    /// 503 µs against 339 µs (thread CPU time, best of 15, on a loaded machine).
    /// </summary>
    public static void InputProjection<T>(int count, int rows, int inputs, ReadOnlySpan<T> x, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> gates)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) || !Avx512F.IsSupported)
        {
            Gemm.Multiply(false, true, count, rows, inputs, x, weights, gates, false, new GemmEpilogue<T> { ColumnBias = bias });
            return;
        }

        var packed = MemoryMarshal.Cast<T, float>(ThreadScratch<ScratchPurpose.TransposedWeights, T>.Rent(RecurrentPanelProduct.PackedLength(inputs, rows)));
        RecurrentPanelProduct.Pack(MemoryMarshal.Cast<T, float>(weights), inputs, rows, transposed: true, packed);
        RecurrentPanelProduct.Multiply(count, rows, inputs, MemoryMarshal.Cast<T, float>(x), false, packed, MemoryMarshal.Cast<T, float>(gates), false, MemoryMarshal.Cast<T, float>(bias));
    }

    /// <summary>Writes <paramref name="source"/> <c>[rows × columns]</c> transposed into <paramref name="destination"/> <c>[columns × rows]</c>.</summary>
    public static void Transpose<T>(ReadOnlySpan<T> source, Span<T> destination, int rows, int columns)
        where T : unmanaged
    {
        if (source.Length < rows * columns || destination.Length < rows * columns)
        {
            throw new ArgumentException($"Transposing a {rows}x{columns} matrix needs {rows * columns} elements on both sides, got {source.Length} and {destination.Length}.");
        }

        if (typeof(T) == typeof(float))
        {
            fixed (float* from = MemoryMarshal.Cast<T, float>(source), to = MemoryMarshal.Cast<T, float>(destination))
            {
                TransposeFloat(from, to, rows, columns);
            }

            return;
        }

        // Blocks of 16 × 16 keep both the rows read and the rows written in L1.
        for (var i0 = 0; i0 < rows; i0 += Lanes)
        {
            for (var j0 = 0; j0 < columns; j0 += Lanes)
            {
                int iEnd = Math.Min(rows, i0 + Lanes), jEnd = Math.Min(columns, j0 + Lanes);
                for (var i = i0; i < iEnd; i++)
                {
                    for (var j = j0; j < jEnd; j++)
                    {
                        destination[(j * rows) + i] = source[(i * columns) + j];
                    }
                }
            }
        }
    }

    // As the generic loop, without bounds checks: this runs once per pass, at batch 1 next to 27 matrix-vector products.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeFloat(float* source, float* destination, int rows, int columns)
    {
        for (var i0 = 0; i0 < rows; i0 += Lanes)
        {
            for (var j0 = 0; j0 < columns; j0 += Lanes)
            {
                int iEnd = Math.Min(rows, i0 + Lanes), jEnd = Math.Min(columns, j0 + Lanes);
                for (var i = i0; i < iEnd; i++)
                {
                    var from = source + ((nint)i * columns);
                    var to = destination + i;
                    for (var j = j0; j < jEnd; j++)
                    {
                        to[(nint)j * rows] = from[j];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Backward's step product <c>C[m × n] += A[m × k] · W</c> with W <c>[k × n]</c>, on the calling thread: against
    /// <paramref name="prepared"/> (W as <see cref="BackwardWeights{T}"/> packed it) when it is not empty; else for
    /// float on AVX-512 one row of C at a time (<see cref="BroadcastRow"/>, batch 1 to 3), elsewhere through
    /// <see cref="Gemm"/>.
    /// </summary>
    public static void MultiplyBackward<T>(int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> weights, ReadOnlySpan<T> prepared, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<float> fa = MemoryMarshal.Cast<T, float>(a), fw = MemoryMarshal.Cast<T, float>(weights);
        var fc = MemoryMarshal.Cast<T, float>(c);
        if (!prepared.IsEmpty)
        {
            RecurrentPanelProduct.Multiply(m, n, k, fa, false, MemoryMarshal.Cast<T, float>(prepared), fc, accumulate: true);
            return;
        }

        if (typeof(T) != typeof(float) || !Avx512F.IsSupported)
        {
            Gemm.Multiply(false, false, m, n, k, a, weights, c, true);
            return;
        }

        if (fa.Length < m * k || fw.Length < k * n || fc.Length < m * n)
        {
            throw new ArgumentException($"Buffers too small for a {m}x{k} by {k}x{n} product: A has {fa.Length}, B {fw.Length}, C {fc.Length} elements.");
        }

        fixed (float* pa = fa, pb = fw, pc = fc)
        {
            for (var i = 0; i < m; i++)
            {
                BroadcastRow(k, n, pa + (i * k), pb, pc + (i * n), accumulate: true);
            }
        }
    }

    /// <summary>
    /// <c>c[0, n) (+)= Σ_p a[p] · b[p, 0..n)</c>: 128 columns at a time in eight accumulators (eight
    /// independent chains of multiply-adds), then the columns left 16 at a time, the last masked.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BroadcastRow(int k, int n, float* a, float* b, float* c, bool accumulate)
    {
        var j = 0;
        for (; j + RowBlock <= n; j += RowBlock)
        {
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
            var row = b + j;
            for (var p = 0; p < k; p++, row += n)
            {
                var ap = Vector512.Create(a[p]);
                s0 = Avx512F.FusedMultiplyAdd(ap, Vector512.Load(row), s0);
                s1 = Avx512F.FusedMultiplyAdd(ap, Vector512.Load(row + 16), s1);
                s2 = Avx512F.FusedMultiplyAdd(ap, Vector512.Load(row + 32), s2);
                s3 = Avx512F.FusedMultiplyAdd(ap, Vector512.Load(row + 48), s3);
                s4 = Avx512F.FusedMultiplyAdd(ap, Vector512.Load(row + 64), s4);
                s5 = Avx512F.FusedMultiplyAdd(ap, Vector512.Load(row + 80), s5);
                s6 = Avx512F.FusedMultiplyAdd(ap, Vector512.Load(row + 96), s6);
                s7 = Avx512F.FusedMultiplyAdd(ap, Vector512.Load(row + 112), s7);
            }

            var target = c + j;
            Store(target, s0, accumulate);
            Store(target + 16, s1, accumulate);
            Store(target + 32, s2, accumulate);
            Store(target + 48, s3, accumulate);
            Store(target + 64, s4, accumulate);
            Store(target + 80, s5, accumulate);
            Store(target + 96, s6, accumulate);
            Store(target + 112, s7, accumulate);
        }

        for (; j < n; j += Lanes)
        {
            var lanes = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(n - j)).AsSingle();
            Vector512<float> sum = default;
            var row = b + j;
            for (var p = 0; p < k; p++, row += n)
            {
                sum = Avx512F.FusedMultiplyAdd(Vector512.Create(a[p]), Avx512F.MaskLoad(row, lanes, default), sum);
            }

            if (accumulate)
            {
                sum += Avx512F.MaskLoad(c + j, lanes, default);
            }

            Avx512F.MaskStore(c + j, lanes, sum);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> sum, bool accumulate)
    {
        if (accumulate)
        {
            sum += Vector512.Load(c);
        }

        sum.Store(c);
    }
}
