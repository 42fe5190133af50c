using System;

namespace NetGen.Generator.Emit;

/// <summary>
/// The one tiled matrix-product body every GEMM-shaped kernel shares: the plain strided SGEMM and the
/// convolution's three implicit GEMMs differ only in how an element of A or B is fetched and how a
/// finished element of C is stored. A 16 × 16 work group computes a 32 × 32 tile of
/// <c>C[m, n] = Σₖ A(m, k) · B(k, n)</c>: each step stages a 16-deep slice of A and B in local memory,
/// and each thread accumulates a 2 × 2 block of C in registers.
/// </summary>
internal static class GpuTiledGemm
{
    /// <summary>Edge of the output tile one work group computes (the runtime's launch geometry assumes it).</summary>
    public const string Defines = """
        // Tiled GEMM kernels: a THREADS × THREADS work group computes a TILE × TILE tile of C, staging
        // DEPTH-deep slices of A and B in local memory; each thread keeps a 2 × 2 block of C in registers.
        #define TILE 32
        #define DEPTH 16
        #define THREADS 16
        """;

    /// <summary>
    /// A kernel <c>name(int m, int n, int k, parameters)</c>. <paramref name="loadA"/> reads A at
    /// <c>(row, depth)</c>, <paramref name="loadB"/> reads B at <c>(depth, column)</c> (both only for
    /// indices in range); <paramref name="store"/> turns (row, column, value) expressions into the
    /// statement that writes one element of C.
    /// </summary>
    public static string Render(string comment, string name, string parameters, string loadA, string loadB, Func<string, string, string, string> store) => $$"""
        // {{comment}}
        KERNEL void {{name}}(int m, int n, int k, {{parameters}})
        {
            LOCAL_MEM float aTile[DEPTH][TILE];
            LOCAL_MEM float bTile[DEPTH][TILE];
            int tx = LOCAL_ID(0);
            int ty = LOCAL_ID(1);
            int thread = ty * THREADS + tx;
            int row0 = GROUP_ID(1) * TILE;
            int column0 = GROUP_ID(0) * TILE;
            float acc00 = 0.0f, acc01 = 0.0f, acc10 = 0.0f, acc11 = 0.0f;
            for (int k0 = 0; k0 < k; k0 += DEPTH)
            {
                for (int l = thread; l < DEPTH * TILE; l += THREADS * THREADS)
                {
                    int kk = l / TILE;
                    int t = l % TILE;
                    int depth = k0 + kk;
                    int row = row0 + t;
                    int column = column0 + t;
                    aTile[kk][t] = (row < m && depth < k) ? {{loadA}} : 0.0f;
                    bTile[kk][t] = (column < n && depth < k) ? {{loadB}} : 0.0f;
                }
                BARRIER();
                for (int kk = 0; kk < DEPTH; kk++)
                {
                    float a0 = aTile[kk][ty];
                    float a1 = aTile[kk][ty + THREADS];
                    float b0 = bTile[kk][tx];
                    float b1 = bTile[kk][tx + THREADS];
                    acc00 += a0 * b0;
                    acc01 += a0 * b1;
                    acc10 += a1 * b0;
                    acc11 += a1 * b1;
                }
                BARRIER();
            }
            int r0 = row0 + ty, r1 = row0 + ty + THREADS;
            int c0 = column0 + tx, c1 = column0 + tx + THREADS;
            if (r0 < m && c0 < n) { {{store("r0", "c0", "acc00")}} }
            if (r0 < m && c1 < n) { {{store("r0", "c1", "acc01")}} }
            if (r1 < m && c0 < n) { {{store("r1", "c0", "acc10")}} }
            if (r1 < m && c1 < n) { {{store("r1", "c1", "acc11")}} }
        }
        """;
}
