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
/// <see cref="MinTransposedBatch"/> runs forward's product as matrix-vector products instead, 16 rows of
/// W_hh at a time (<see cref="RecurrentMatrixVector"/>).
/// </summary>
/// <remarks>
/// On AVX-512, batches of 4 or more run <see cref="RecurrentPanelProduct"/> (4 × 64 broadcast tiles against
/// panels of B packed once per pass, which stay in L1); fewer rows, such as batch 1's vector-matrix products, run
/// <see cref="BroadcastRow"/> (backward) and <see cref="RecurrentMatrixVector"/> (forward). Both on the calling thread.
/// Elsewhere (and for double) the products go through <see cref="Gemm"/>'s general path.
/// </remarks>
internal static unsafe class RecurrentProduct
{
    private const int Lanes = 16;

    /// <summary>Columns one pass of <see cref="BroadcastRow"/> keeps in registers: 8 vectors, enough independent multiply-adds to cover their latency.</summary>
    private const int RowBlock = 8 * Lanes;

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
    /// Forward's W_hh laid out for a pass over <paramref name="batch"/> samples in the calling thread's buffer
    /// (allocated on the first pass and when a larger layer comes, then reused: no training step allocates).
    /// For float on AVX-512: below <see cref="MinTransposedBatch"/> samples in 16-row blocks for the matrix-vector
    /// products (<see cref="RecurrentMatrixVector.Pack"/>), from it <c>W_hhᵀ</c> in <see cref="RecurrentPanelProduct"/>'s
    /// panels. Elsewhere <c>W_hhᵀ</c> transposed, or empty below <see cref="MinTransposedBatch"/> samples. Valid until
    /// the thread's next call of this or <see cref="BackwardWeights{T}"/>.
    /// </summary>
    public static ReadOnlySpan<T> ForwardWeights<T>(ReadOnlySpan<T> weights, int rows, int columns, int batch)
        where T : unmanaged
    {
        var avx512Float = typeof(T) == typeof(float) && Avx512F.IsSupported;
        if (batch < MinTransposedBatch)
        {
            if (!avx512Float)
            {
                return default;
            }

            var blocks = RentAligned<T>(RecurrentMatrixVector.PackedLength(rows, columns));
            RecurrentMatrixVector.Pack(MemoryMarshal.Cast<T, float>(weights), rows, columns, MemoryMarshal.Cast<T, float>(blocks));
            return blocks;
        }

        if (avx512Float)
        {
            var packed = RentAligned<T>(RecurrentPanelProduct.PackedLength(columns, rows));
            RecurrentPanelProduct.Pack(MemoryMarshal.Cast<T, float>(weights), columns, rows, transposed: true, MemoryMarshal.Cast<T, float>(packed));
            return packed;
        }

        var transposed = ThreadScratch<ScratchPurpose.TransposedWeights, T>.Rent(rows * columns);
        Transpose(weights, transposed, rows, columns);
        return transposed;
    }

    /// <summary>
    /// <paramref name="length"/> values of the thread's buffer for W_hh's layouts, starting on a 64-byte boundary, so each
    /// 16-lane load of a packed block reads one cache line, not parts of two (at batch 1, a step's product over
    /// 512 × 128 packed took 1.6 µs aligned against 1.7 µs four bytes off, thread CPU time, best of 20, interleaved). A buffer this size lies in the large-object heap, which
    /// the collector does not move; a smaller one that moves stays correct, only slower.
    /// </summary>
    private static Span<T> RentAligned<T>(int length)
        where T : unmanaged
    {
        const int lineBytes = 64;
        var buffer = ThreadScratch<ScratchPurpose.TransposedWeights, T>.Rent(length + (lineBytes / sizeof(T)));
        fixed (T* start = buffer)
        {
            var past = (int)((nuint)start % lineBytes) / sizeof(T);
            return buffer.Slice(past == 0 ? 0 : (lineBytes / sizeof(T)) - past, length);
        }
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

        var packed = RentAligned<T>(RecurrentPanelProduct.PackedLength(rows, columns));
        RecurrentPanelProduct.Pack(MemoryMarshal.Cast<T, float>(weights), rows, columns, transposed: false, MemoryMarshal.Cast<T, float>(packed));
        return packed;
    }

    /// <summary>
    /// Forward's step product <c>C[m × n] = A[m × k] · Wᵀ</c> with W <c>[n × k]</c>, on the calling thread (a step
    /// is tens of microseconds; the time loop splits whole passes over the pool, <c>RecurrentLayer.Parts.cs</c>),
    /// against <paramref name="prepared"/>, W as <see cref="ForwardWeights{T}"/> laid it out for a batch of
    /// <paramref name="m"/> (the time loop splits no batch into parts below <see cref="MinTransposedBatch"/>
    /// samples, so a part's rows ask for the layout of the whole batch).
    /// </summary>
    public static void MultiplyForward<T>(int m, int n, int k, ReadOnlySpan<T> a, ReadOnlySpan<T> weights, ReadOnlySpan<T> prepared, Span<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Avx512F.IsSupported)
        {
            ReadOnlySpan<float> fa = MemoryMarshal.Cast<T, float>(a), fp = MemoryMarshal.Cast<T, float>(prepared);
            if (m < MinTransposedBatch)
            {
                RecurrentMatrixVector.Multiply(m, n, k, fa, fp, MemoryMarshal.Cast<T, float>(weights), MemoryMarshal.Cast<T, float>(c));
            }
            else
            {
                RecurrentPanelProduct.Multiply(m, n, k, fa, false, fp, MemoryMarshal.Cast<T, float>(c), false);
            }
        }
        else if (prepared.IsEmpty)
        {
            Gemm.Multiply(false, true, m, n, k, a, weights, c, false);
        }
        else
        {
            Gemm.Multiply(false, false, m, n, k, a, prepared, c, false);
        }
    }

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
    /// <see cref="ForwardWeights{T}"/>, free until the time loop asks for it) and starts each sum from <c>b_ih</c>, in
    /// bands of rows over the pool (<see cref="RecurrentPanelProduct.MultiplyOverRows"/>):
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

        var packed = MemoryMarshal.Cast<T, float>(RentAligned<T>(RecurrentPanelProduct.PackedLength(inputs, rows)));
        RecurrentPanelProduct.Pack(MemoryMarshal.Cast<T, float>(weights), inputs, rows, transposed: true, packed);
        RecurrentPanelProduct.MultiplyOverRows(count, rows, inputs, MemoryMarshal.Cast<T, float>(x), packed, MemoryMarshal.Cast<T, float>(gates), MemoryMarshal.Cast<T, float>(bias));
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

    // As the generic loop, without bounds checks: dW_ih's transposition runs once per backward pass.
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
