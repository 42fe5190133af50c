using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using NetGen.Kernels.Threading;

namespace NetGen.Kernels;

/// <summary>
/// A recurrent layer's float products on one thread with AVX-512, <c>C[m × n] (+)= A[m × k] · B[k × n]</c>, in 4 × 64
/// broadcast tiles against panels of B (64 columns × up to <see cref="DepthBlock"/> rows, 32 KiB) that stay in L1
/// while every 4-row band of A passes them. B is packed once per pass (<see cref="Pack"/>: each panel's rows
/// contiguous): as W_hh lies, a panel's rows are 512 B or 2 KiB apart, so they fall on a quarter or a sixteenth of
/// L1's sets and evict each other, and the general direct kernel, running each band across all of B, streamed the
/// 256 KiB of W_hh from L2 sixteen times a step. Each tile starts from C where the panel's earlier depth left it (or
/// from C as given when accumulating, else from the column bias or zero), so an element's sum is one chain of
/// multiply-adds in depth order whichever band, panel or thread computes it.
/// </summary>
internal static unsafe class RecurrentPanelProduct
{
    private const int Lanes = 16;

    /// <summary>Columns of a panel: the 4 × 64 register tile's width.</summary>
    private const int PanelWidth = 4 * Lanes;

    /// <summary>Rows of a packed panel multiplied at once: 128 × 64 floats is 32 KiB, two thirds of L1, leaving room for A's band.</summary>
    private const int DepthBlock = 128;

    /// <summary>
    /// Rows of B as it lies multiplied at once: 16 rows of a 64-column panel are 64 cache lines, which fit the 96 that
    /// L1 keeps on the sets of rows 2 KiB apart (the row-MNIST LSTM's <c>dz</c>, 512 floats wide).
    /// </summary>
    private const int UnpackedDepthBlock = 16;

    /// <summary>Floats <see cref="Pack"/> writes for a <paramref name="k"/> × <paramref name="n"/> B: k rows of every panel, the last one padded to 64 columns.</summary>
    public static int PackedLength(int k, int n) => (n + PanelWidth - 1) / PanelWidth * PanelWidth * k;

    /// <summary>
    /// Packs B <c>[k × n]</c> into panels: panel j holds rows 0…k−1 of columns <c>[64j, 64j + 64)</c>, 64 floats a row
    /// (the last panel's columns past n are left as they were and never read). B is <paramref name="source"/> as it
    /// lies, or, when <paramref name="transposed"/>, the transpose of <paramref name="source"/> stored <c>[n × k]</c>
    /// (forward's <c>W_hhᵀ</c>, packed straight from W_hh).
    /// </summary>
    public static void Pack(ReadOnlySpan<float> source, int k, int n, bool transposed, Span<float> packed)
    {
        if (source.Length < (long)k * n || packed.Length < PackedLength(k, n))
        {
            throw new ArgumentException($"Packing a {k}x{n} matrix needs {(long)k * n} values and {PackedLength(k, n)} packed floats, got {source.Length} and {packed.Length}.");
        }

        fixed (float* from = source, to = packed)
        {
            for (var j = 0; j < n; j += PanelWidth)
            {
                var width = Math.Min(PanelWidth, n - j);
                var panel = to + ((nint)j * k);
                if (!transposed)
                {
                    for (var p = 0; p < k; p++)
                    {
                        new ReadOnlySpan<float>(from + ((nint)p * n) + j, width).CopyTo(new Span<float>(panel + ((nint)p * PanelWidth), width));
                    }

                    continue;
                }

                // Panel row p is column p of source rows j…j + width: read each source row once, write it down a column.
                for (var l = 0; l < width; l++)
                {
                    var row = from + ((nint)(j + l) * k);
                    for (var p = 0; p < k; p++)
                    {
                        panel[((nint)p * PanelWidth) + l] = row[p];
                    }
                }
            }
        }
    }

    /// <summary>
    /// The product against B packed by <see cref="Pack"/>, with A stored m × k, or k × m when
    /// <paramref name="transposeA"/>. <paramref name="columnBias"/> (empty, or n values) starts each sum that
    /// does not start from C: the input projection's <c>b_ih</c>.
    /// </summary>
    public static void Multiply(int m, int n, int k, ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> packedB, Span<float> c, bool accumulate, ReadOnlySpan<float> columnBias = default)
    {
        Check(m, n, k, a.Length, PackedLength(k, n), packedB.Length, c.Length, columnBias.Length);
        fixed (float* pa = a, pb = packedB, pc = c, bias = columnBias)
        {
            Multiply(m, n, k, pa, transposeA ? 1 : k, transposeA ? m : 1, pb, PanelWidth, (nint)k * PanelWidth, DepthBlock, pc, accumulate, columnBias.IsEmpty ? null : bias);
        }
    }

    /// <summary>
    /// <see cref="Multiply(int, int, int, ReadOnlySpan{float}, bool, ReadOnlySpan{float}, Span{float}, bool, ReadOnlySpan{float})"/>
    /// (A stored m × k, not accumulating) in bands of rows over the worker pool, one band per
    /// <see cref="Gemm.MinMultiplyAddsPerThread"/> multiply-adds up to <see cref="Gemm.MaxThreads"/>: the input
    /// projection of every step, which the general product used to split (at batch 256 on two cores, one thread
    /// took 8 % more per inference than the general product on two). Each row sums alike in any band, so the
    /// split changes no bit.
    /// </summary>
    public static void MultiplyOverRows(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> packedB, Span<float> c, ReadOnlySpan<float> columnBias)
    {
        Check(m, n, k, a.Length, PackedLength(k, n), packedB.Length, c.Length, columnBias.Length);
        var parts = (int)Math.Clamp((long)m * n * k / Gemm.MinMultiplyAddsPerThread, 1, Math.Min(Gemm.MaxThreads, (m + 3) / 4));
        fixed (float* pa = a, pb = packedB, pc = c, bias = columnBias)
        {
            if (parts == 1)
            {
                Multiply(m, n, k, pa, k, 1, pb, PanelWidth, (nint)k * PanelWidth, DepthBlock, pc, false, columnBias.IsEmpty ? null : bias);
                return;
            }

            var work = RowBands.Current;
            work.Pin(m, n, k, pa, pb, pc, columnBias.IsEmpty ? null : bias);
            try
            {
                StepParallel.Run(work, parts);
            }
            finally
            {
                // Forget the pointers, which were pinned only for the call.
                work.Pin(0, 0, 0, null, null, null, null);
            }
        }
    }

    /// <summary>
    /// The product against B <c>[k × n]</c> as it lies, in shallower blocks (<see cref="UnpackedDepthBlock"/>): for a B
    /// too large to pack per call, such as every step's gate gradients in the input weight gradient <c>xᵀ·dz</c>.
    /// </summary>
    public static void MultiplyUnpacked(int m, int n, int k, ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, Span<float> c, bool accumulate)
    {
        Check(m, n, k, a.Length, (long)k * n, b.Length, c.Length, 0);
        fixed (float* pa = a, pb = b, pc = c)
        {
            Multiply(m, n, k, pa, transposeA ? 1 : k, transposeA ? m : 1, pb, n, PanelWidth, UnpackedDepthBlock, pc, accumulate, null);
        }
    }

    private static void Check(int m, int n, int k, int aLength, long bNeeded, int bLength, int cLength, int biasLength)
    {
        if (aLength < (long)m * k || bLength < bNeeded || cLength < (long)m * n || (biasLength != 0 && biasLength < n))
        {
            throw new ArgumentException($"Buffers too small for a {m}x{k} by {k}x{n} product: A has {aLength}, B {bLength} (needs {bNeeded}), C {cLength} elements, the bias {biasLength}.");
        }
    }

    /// <summary>
    /// A(i, p) lies at <c>a[i·rowStep + p·depthStep]</c>; B(p, j) of panel <c>q = j / 64</c> at
    /// <c>b[q·panelStride + p·ldb + j mod 64]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply(int m, int n, int k, float* a, nint rowStep, nint depthStep, float* b, nint ldb, nint panelStride, int depthBlock, float* c, bool accumulate, float* bias)
    {
        for (var j = 0; j < n; j += PanelWidth)
        {
            var width = Math.Min(PanelWidth, n - j);
            var panel = b + (j / PanelWidth * panelStride);
            for (var p = 0; p < k; p += depthBlock)
            {
                var depth = Math.Min(depthBlock, k - p);
                var start = accumulate || p > 0 ? Start.FromC : bias != null ? Start.FromBias : Start.FromZero;
                var i = 0;
                if (width == PanelWidth)
                {
                    for (; i + 4 <= m; i += 4)
                    {
                        Tile4x64(depth, a + (i * rowStep) + (p * depthStep), rowStep, depthStep, panel + (p * ldb), ldb, c + ((nint)i * n) + j, n, start, bias + j);
                    }
                }

                for (; i < m; i++)
                {
                    for (var v = 0; v < width; v += Lanes)
                    {
                        Tile1x16(depth, a + (i * rowStep) + (p * depthStep), depthStep, panel + (p * ldb) + v, ldb, c + ((nint)i * n) + j + v, start, bias + j + v, Math.Min(Lanes, width - v));
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x64(int depth, float* a, nint rowStep, nint depthStep, float* b, nint ldb, float* c, nint ldc, Start start, float* bias)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        if (start == Start.FromC)
        {
            (c00, c01, c02, c03) = Load4(c);
            (c10, c11, c12, c13) = Load4(c + ldc);
            (c20, c21, c22, c23) = Load4(c + (2 * ldc));
            (c30, c31, c32, c33) = Load4(c + (3 * ldc));
        }
        else if (start == Start.FromBias)
        {
            (c00, c01, c02, c03) = Load4(bias);
            (c10, c11, c12, c13) = (c00, c01, c02, c03);
            (c20, c21, c22, c23) = (c00, c01, c02, c03);
            (c30, c31, c32, c33) = (c00, c01, c02, c03);
        }

        float* a1 = a + rowStep, a2 = a1 + rowStep, a3 = a2 + rowStep;
        for (nint p = 0, offset = 0; p < depth; p++, offset += depthStep, b += ldb)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var b2 = Vector512.Load(b + 32);
            var b3 = Vector512.Load(b + 48);
            var x = Vector512.Create(a[offset]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            c02 = Avx512F.FusedMultiplyAdd(x, b2, c02);
            c03 = Avx512F.FusedMultiplyAdd(x, b3, c03);
            x = Vector512.Create(a1[offset]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            c12 = Avx512F.FusedMultiplyAdd(x, b2, c12);
            c13 = Avx512F.FusedMultiplyAdd(x, b3, c13);
            x = Vector512.Create(a2[offset]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            c22 = Avx512F.FusedMultiplyAdd(x, b2, c22);
            c23 = Avx512F.FusedMultiplyAdd(x, b3, c23);
            x = Vector512.Create(a3[offset]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            c32 = Avx512F.FusedMultiplyAdd(x, b2, c32);
            c33 = Avx512F.FusedMultiplyAdd(x, b3, c33);
        }

        Store4(c, c00, c01, c02, c03);
        Store4(c + ldc, c10, c11, c12, c13);
        Store4(c + (2 * ldc), c20, c21, c22, c23);
        Store4(c + (3 * ldc), c30, c31, c32, c33);
    }

    /// <summary>One row, the first <paramref name="count"/> of 16 columns (masked lanes are neither read nor written).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x16(int depth, float* a, nint depthStep, float* b, nint ldb, float* c, Start start, float* bias, int count)
    {
        var lanes = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();
        var sum = start switch
        {
            Start.FromC => Avx512F.MaskLoad(c, lanes, default),
            Start.FromBias => Avx512F.MaskLoad(bias, lanes, default),
            Start.FromZero => default,
        };
        for (nint p = 0; p < depth; p++, b += ldb)
        {
            sum = Avx512F.FusedMultiplyAdd(Vector512.Create(a[p * depthStep]), Avx512F.MaskLoad(b, lanes, default), sum);
        }

        Avx512F.MaskStore(c, lanes, sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float>, Vector512<float>, Vector512<float>, Vector512<float>) Load4(float* c) =>
        (Vector512.Load(c), Vector512.Load(c + 16), Vector512.Load(c + 32), Vector512.Load(c + 48));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4(float* c, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3)
    {
        v0.Store(c);
        v1.Store(c + 16);
        v2.Store(c + 32);
        v3.Store(c + 48);
    }

    /// <summary>One band of rows of <see cref="MultiplyOverRows"/> per part; one instance per thread, its pointers pinned for the call only.</summary>
    private sealed class RowBands : IParallelWork
    {
        [ThreadStatic]
        private static RowBands? t_work;

        private float* _a, _b, _c, _bias;
        private int _m, _n, _k;

        public static RowBands Current => t_work ??= new RowBands();

        public void Pin(int m, int n, int k, float* a, float* b, float* c, float* bias)
        {
            (_m, _n, _k) = (m, n, k);
            _a = a;
            _b = b;
            _c = c;
            _bias = bias;
        }

        /// <inheritdoc/>
        public void Execute(int part, int partCount)
        {
            var (first, end) = StepParallel.Range(_m, part, partCount, 4);
            if (first < end)
            {
                Multiply(end - first, _n, _k, _a + ((nint)first * _k), _k, 1, _b, PanelWidth, (nint)_k * PanelWidth, DepthBlock, _c + ((nint)first * _n), false, _bias);
            }
        }
    }

    /// <summary>Where a tile's sums start: C as it is (accumulating, or an earlier depth block left it), the column bias, or zero.</summary>
    private enum Start
    {
        FromC,
        FromBias,
        FromZero,
    }
}
