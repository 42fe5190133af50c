using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using NetGen.Kernels;

namespace NetGen.Bench;

/// <summary>
/// SGEMM GFLOP/s, NetGen's kernel against OpenBLAS at the same thread count: square products, and the
/// skinny ones of the MLP's first layer (784→128) in a batch-64 and batch-256 step, as its Dense layer calls them.
/// </summary>
internal static class SgemmSuite
{
    /// <summary>One product: <c>C[m×n] = op(A)·op(B)</c> with op the transpose where asked.</summary>
    private sealed record Product(string Name, bool TransposeA, bool TransposeB, int M, int N, int K);

    private static readonly Product[] Products =
    [
        .. new[] { 64, 128, 256, 512, 1024, 2048 }.Select(n => new Product($"{n}", false, false, n, n, n)),
        // Forward: X[batch×784] · Wᵀ (W is 128×784); backward: the weight gradient dZᵀ[128×batch] · X[batch×784].
        .. new[] { 64, 256 }.SelectMany(batch => new[]
        {
            new Product($"mlp_fc1_forward_b{batch}", false, true, batch, 128, 784),
            new Product($"mlp_fc1_weight_gradient_b{batch}", true, false, 128, 784, batch),
        }),
    ];

    public static IEnumerable<Measurement> Run(int threads, Settings settings)
    {
        var core = OpenBlas.IsAvailable ? Marshal.PtrToStringAnsi(OpenBlas.CoreName()) : null;
        foreach (var product in Products)
        {
            var random = new SeededRandom((ulong)(product.M + product.N + product.K));
            var a = new float[product.M * product.K];
            var b = new float[product.K * product.N];
            var c = new float[product.M * product.N];
            for (var i = 0; i < a.Length; i++)
            {
                a[i] = random.NextUniform(-1, 1);
            }

            for (var i = 0; i < b.Length; i++)
            {
                b[i] = random.NextUniform(-1, 1);
            }

            var flops = 2.0 * product.M * product.N * product.K;
            Gemm.MaxThreads = threads;
            var (netgen, load) = Timing.MedianSecondsPerIteration(() => Gemm.Multiply<float>(product.TransposeA, product.TransposeB, product.M, product.N, product.K, a, b, c, false), settings.Target, settings.Repeats, settings.Warmup);
            yield return new Measurement($"sgemm_{product.Name}", threads, flops / netgen / 1e9, "GFLOP/s") { Gflops = flops / netgen / 1e9, OtherCores = load };

            if (core is not null)
            {
                OpenBlas.SetThreads(threads);
                var (blas, blasLoad) = Timing.MedianSecondsPerIteration(() => OpenBlasMultiply(product, a, b, c), settings.Target, settings.Repeats, settings.Warmup);
                yield return new Measurement($"openblas_{product.Name}", threads, flops / blas / 1e9, "GFLOP/s")
                {
                    Gflops = flops / blas / 1e9,
                    OtherCores = blasLoad,
                    Configuration = $"{core} kernels, {threads} thread{(threads == 1 ? string.Empty : "s")}",
                };
            }
        }

        Gemm.MaxThreads = Environment.ProcessorCount;
    }

    private static unsafe void OpenBlasMultiply(Product product, float[] a, float[] b, float[] c)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            OpenBlas.Sgemm(
                OpenBlas.RowMajor,
                product.TransposeA ? OpenBlas.Trans : OpenBlas.NoTrans,
                product.TransposeB ? OpenBlas.Trans : OpenBlas.NoTrans,
                product.M,
                product.N,
                product.K,
                1f,
                pa,
                product.TransposeA ? product.M : product.K,
                pb,
                product.TransposeB ? product.K : product.N,
                0f,
                pc,
                product.N);
        }
    }
}
