using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the contiguous, zero-padded micro-panel layout the
/// micro-kernels read, reading the source in either storage order so no separate transposition pass
/// is needed. Padding rows and columns are zero, so edge tiles compute through the same kernel.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs rows <c>[i0, i0 + mc)</c> and depth <c>[p0, p0 + kc)</c> of op(A) (m × k) as micro-panels of
    /// <paramref name="mr"/> rows: panel <c>t</c> starts at <c>dst + t·mr·kc</c> and holds, for each k
    /// step, the mr values of that step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(float* a, bool transposed, int m, int k, int i0, int mc, int p0, int kc, int mr, float* dst)
    {
        for (var ir = 0; ir < mc; ir += mr)
        {
            var rows = System.Math.Min(mr, mc - ir);
            var panel = dst + ((nint)ir * kc);
            if (rows < mr)
            {
                Unsafe.InitBlockUnaligned(panel, 0, (uint)(sizeof(float) * mr * kc));
            }

            if (transposed)
            {
                // A is stored k × m: each k step's rows are contiguous.
                var src = a + ((nint)p0 * m) + i0 + ir;
                for (var p = 0; p < kc; p++, src += m)
                {
                    var to = panel + ((nint)p * mr);
                    for (var r = 0; r < rows; r++)
                    {
                        to[r] = src[r];
                    }
                }
            }
            else
            {
                // A is stored m × k: each row runs along k, so the panel is its transpose.
                Transpose(a + ((nint)(i0 + ir) * k) + p0, k, rows, kc, panel, mr);
            }
        }
    }

    /// <summary>
    /// Packs depth <c>[p0, p0 + kc)</c> and columns <c>[j0, j0 + nc)</c> of op(B) (k × n) as micro-panels of
    /// <paramref name="nr"/> columns: panel <c>t</c> starts at <c>dst + t·nr·kc</c> and holds, for each k
    /// step, the nr values of that step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(float* b, bool transposed, int n, int k, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        if (transposed)
        {
            PackTransposedB(b, k, p0, kc, j0, nc, nr, dst);
            return;
        }

        // B is stored k × n: copy each k step's nc contiguous columns, one row at a time, so every
        // source row is read once and in order (walking a panel down its rows instead strides the
        // source by n and, for n a multiple of 1024, keeps hitting the same cache sets).
        var fullPanels = nc / nr;
        var tail = nc - (fullPanels * nr);
        if (tail > 0)
        {
            Unsafe.InitBlockUnaligned(dst + ((nint)fullPanels * nr * kc), 0, (uint)(sizeof(float) * nr * kc));
        }

        var src = b + ((nint)p0 * n) + j0;
        var panelStride = (nint)nr * kc;
        for (var p = 0; p < kc; p++, src += n)
        {
            var to = dst + ((nint)p * nr);
            for (var t = 0; t < fullPanels; t++, to += panelStride)
            {
                Unsafe.CopyBlockUnaligned(to, src + ((nint)t * nr), (uint)(sizeof(float) * nr));
            }

            if (tail > 0)
            {
                Unsafe.CopyBlockUnaligned(to, src + ((nint)fullPanels * nr), (uint)(sizeof(float) * tail));
            }
        }
    }

    /// <summary>
    /// B is stored n × k: each column of op(B) runs along k, so the panel is its transpose, taken a cache
    /// line of k steps at a time so the panel's lines being written stay in L1 across columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackTransposedB(float* b, int k, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        const int StepsPerLine = 16;
        for (var jr = 0; jr < nc; jr += nr)
        {
            var cols = System.Math.Min(nr, nc - jr);
            var panel = dst + ((nint)jr * kc);
            if (cols < nr)
            {
                Unsafe.InitBlockUnaligned(panel, 0, (uint)(sizeof(float) * nr * kc));
            }

            for (var pb = 0; pb < kc; pb += StepsPerLine)
            {
                Transpose(b + ((nint)(j0 + jr) * k) + p0 + pb, k, cols, System.Math.Min(StepsPerLine, kc - pb), panel + ((nint)pb * nr), nr);
            }
        }
    }

    /// <summary>
    /// Writes <c>to[p·toStride + r] = src[r·srcStride + p]</c> for <paramref name="rows"/> rows and <paramref name="steps"/>
    /// steps: blocks of 4 × 4 transposed in SSE registers (4 loads, 8 shuffles and 4 stores for 16 values, where
    /// scattering them one at a time costs 16 stores), the rows and steps left over one value at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose(float* src, nint srcStride, int rows, int steps, float* to, nint toStride)
    {
        var r = 0;
        if (Sse.IsSupported)
        {
            for (; r + 4 <= rows; r += 4)
            {
                float* s0 = src + (r * srcStride), s1 = s0 + srcStride, s2 = s1 + srcStride, s3 = s2 + srcStride;
                var p = 0;
                for (; p + 4 <= steps; p += 4)
                {
                    var ab01 = Sse.UnpackLow(Vector128.Load(s0 + p), Vector128.Load(s1 + p));
                    var ab23 = Sse.UnpackHigh(Vector128.Load(s0 + p), Vector128.Load(s1 + p));
                    var cd01 = Sse.UnpackLow(Vector128.Load(s2 + p), Vector128.Load(s3 + p));
                    var cd23 = Sse.UnpackHigh(Vector128.Load(s2 + p), Vector128.Load(s3 + p));
                    var t = to + (p * toStride) + r;
                    Sse.MoveLowToHigh(ab01, cd01).Store(t);
                    Sse.MoveHighToLow(cd01, ab01).Store(t + toStride);
                    Sse.MoveLowToHigh(ab23, cd23).Store(t + (2 * toStride));
                    Sse.MoveHighToLow(cd23, ab23).Store(t + (3 * toStride));
                }

                for (; p < steps; p++)
                {
                    var t = to + (p * toStride) + r;
                    (t[0], t[1], t[2], t[3]) = (s0[p], s1[p], s2[p], s3[p]);
                }
            }
        }

        for (; r < rows; r++)
        {
            var row = src + (r * srcStride);
            for (var p = 0; p < steps; p++)
            {
                to[(p * toStride) + r] = row[p];
            }
        }
    }
}
