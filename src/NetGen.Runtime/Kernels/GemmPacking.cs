using System.Runtime.CompilerServices;

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
                // A is stored m × k: walk each row along k, scattering into the panel.
                for (var r = 0; r < rows; r++)
                {
                    var src = a + ((nint)(i0 + ir + r) * k) + p0;
                    var to = panel + r;
                    for (var p = 0; p < kc; p++)
                    {
                        to[(nint)p * mr] = src[p];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs depth <c>[p0, p0 + kc)</c> and columns <c>[j0, j0 + nc)</c> of op(B) (k × n) as micro-panels of
    /// <paramref name="nr"/> columns: panel <c>t</c> starts at <c>dst + t·nr·kc</c> and holds, for each k
    /// step, the nr values of that step.
    /// </summary>
    public static void PackB(float* b, bool transposed, int n, int k, int p0, int kc, int j0, int nc, int nr, float* dst)
    {
        for (var jr = 0; jr < nc; jr += nr)
        {
            var cols = System.Math.Min(nr, nc - jr);
            var panel = dst + ((nint)jr * kc);
            if (cols < nr)
            {
                Unsafe.InitBlockUnaligned(panel, 0, (uint)(sizeof(float) * nr * kc));
            }

            if (transposed)
            {
                // B is stored n × k: walk each column of op(B) along k, scattering into the panel.
                for (var j = 0; j < cols; j++)
                {
                    var src = b + ((nint)(j0 + jr + j) * k) + p0;
                    var to = panel + j;
                    for (var p = 0; p < kc; p++)
                    {
                        to[(nint)p * nr] = src[p];
                    }
                }
            }
            else
            {
                // B is stored k × n: each k step's columns are contiguous.
                var src = b + ((nint)p0 * n) + j0 + jr;
                var bytes = (uint)(sizeof(float) * cols);
                for (var p = 0; p < kc; p++, src += n)
                {
                    Unsafe.CopyBlockUnaligned(panel + ((nint)p * nr), src, bytes);
                }
            }
        }
    }
}
