using System;
using System.Runtime.CompilerServices;

namespace NetGen.Kernels;

/// <summary>One float product with its operands pinned: everything a worker thread needs.</summary>
internal unsafe struct GemmFloatProblem
{
    public float* A;
    public float* B;
    public float* C;
    public int M;
    public int N;
    public int K;
    public bool TransposeA;
    public bool TransposeB;
    public bool Accumulate;
    public GemmKernel Kernel;
    public GemmTileEpilogue Epilogue;
}

/// <summary>
/// The packed, cache-blocked float GEMM (Goto/BLIS loop nest, with A and B in swapped roles because
/// C is row-major and the kernels vectorise along its rows):
/// <list type="bullet">
/// <item>an MC × KC block of A is packed per (ic, pc) and stays in L3;</item>
/// <item>a KC × NC block of B is packed per (ic, pc, jc) and stays in L2;</item>
/// <item>one MR × KC micro-panel of A stays in L1 while the kernel streams every NR-wide micro-panel of the B block past it.</item>
/// </list>
/// </summary>
internal static unsafe class GemmFloat
{
    /// <summary>Depth of a block: an A micro-panel of 12 × 384 floats is 18 KiB, half of a 32 KiB L1.</summary>
    internal const int BlockDepth = 384;

    /// <summary>Rows of A packed at once (a multiple of every kernel's MR): 1152 × 384 floats is 1.7 MiB of L3.</summary>
    internal const int BlockRows = 1152;

    /// <summary>Columns of B packed at once: 384 × 384 floats is 576 KiB, about half of a 1 MiB L2.</summary>
    internal const int BlockColumns = 384;

    /// <summary>
    /// Makes sure the calling thread owns its packing buffers. The dispatcher calls this before a
    /// threaded product: the calling thread may or may not be handed a band, and allocating on the
    /// first band it happens to get would break "no allocation after the first call".
    /// </summary>
    public static GemmPackBuffers BuffersFor(GemmKernel kernel) =>
        GemmPackBuffers.ForCurrentThread(RoundUp(BlockRows, kernel.Rows) * BlockDepth, RoundUp(BlockColumns, kernel.Columns) * BlockDepth);

    /// <summary>
    /// Computes rows <c>[rowStart, rowEnd)</c> × columns <c>[colStart, colEnd)</c> of C on the calling
    /// thread, with its own packing buffers. k must be positive.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute(in GemmFloatProblem problem, int rowStart, int rowEnd, int colStart, int colEnd)
    {
        if (problem.Kernel.Kind == GemmKernelKind.Avx512Direct)
        {
            GemmDirect.Compute(problem, rowStart, rowEnd, colStart, colEnd);
            return;
        }

        var kernel = problem.Kernel;
        int mr = kernel.Rows, nr = kernel.Columns, n = problem.N, k = problem.K;
        var buffers = BuffersFor(kernel);
        var edgeTile = stackalloc float[mr * nr];
        for (var ic = rowStart; ic < rowEnd; ic += BlockRows)
        {
            var mc = Math.Min(BlockRows, rowEnd - ic);
            for (var pc = 0; pc < k; pc += BlockDepth)
            {
                var kc = Math.Min(BlockDepth, k - pc);
                var accumulate = problem.Accumulate || pc > 0;
                var epilogue = pc + kc == k && !problem.Epilogue.IsEmpty;
                GemmPacking.PackA(problem.A, problem.TransposeA, problem.M, k, ic, mc, pc, kc, mr, buffers.A);
                for (var jc = colStart; jc < colEnd; jc += BlockColumns)
                {
                    var nc = Math.Min(BlockColumns, colEnd - jc);
                    GemmPacking.PackB(problem.B, problem.TransposeB, n, k, pc, kc, jc, nc, nr, buffers.B);
                    for (var ir = 0; ir < mc; ir += mr)
                    {
                        var rows = Math.Min(mr, mc - ir);
                        var aPanel = buffers.A + ((nint)ir * kc);
                        for (var jr = 0; jr < nc; jr += nr)
                        {
                            var cols = Math.Min(nr, nc - jr);
                            var bPanel = buffers.B + ((nint)jr * kc);
                            var c = problem.C + ((nint)(ic + ir) * n) + jc + jr;
                            if (rows == mr && cols == nr)
                            {
                                kernel.Run(kc, aPanel, bPanel, c, n, accumulate);
                            }
                            else
                            {
                                RunEdge(kernel, kc, aPanel, bPanel, edgeTile, rows);
                                WriteEdge(edgeTile, nr, c, n, rows, cols, accumulate);
                            }

                            if (epilogue)
                            {
                                problem.Epilogue.Apply(problem.C, n, ic + ir, rows, jc + jr, cols);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// An edge tile's <paramref name="rows"/> rows into <paramref name="tile"/>: four at a time where the kernel
    /// has a four-row form and that skips rows, else the full kernel over the panel's zero padding. Each element
    /// is the same sum in the same order either way. The MLP's 64 × 128 × 784 forward (5 full tiles of 12 rows
    /// and one of 4 a column panel), best of 3000 calls on a loaded machine (run at real-time priority): one core
    /// 79.4-81.4 µs with the full kernel, 71.4-75.2 with four-row calls; two cores 52-56 against 47.8.
    /// </summary>
    private static void RunEdge(in GemmKernel kernel, int kc, float* aPanel, float* bPanel, float* tile, int rows)
    {
        int mr = kernel.Rows, nr = kernel.Columns;
        if (kernel.RunFourRows == null || rows > mr - 4)
        {
            kernel.Run(kc, aPanel, bPanel, tile, nr, false);
            return;
        }

        for (var r = 0; r < rows; r += 4)
        {
            kernel.RunFourRows(kc, aPanel + r, mr, bPanel, tile + ((nint)r * nr), nr, false);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteEdge(float* tile, int tileStride, float* c, int ldc, int rows, int cols, bool accumulate)
    {
        for (var r = 0; r < rows; r++)
        {
            var from = tile + ((nint)r * tileStride);
            var to = c + ((nint)r * ldc);
            for (var j = 0; j < cols; j++)
            {
                to[j] = accumulate ? to[j] + from[j] : from[j];
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
