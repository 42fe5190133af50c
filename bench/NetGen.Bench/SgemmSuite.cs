using System;
using System.Collections.Generic;
using NetGen.Kernels;

namespace NetGen.Bench;

/// <summary>Square SGEMM GFLOP/s, NetGen's packed kernel against OpenBLAS at the same thread count.</summary>
internal static class SgemmSuite
{
    public static readonly int[] Sizes = [64, 128, 256, 512, 1024, 2048];

    public static IEnumerable<Measurement> Run(int threads, Settings settings)
    {
        foreach (var n in Sizes)
        {
            var random = new SeededRandom((ulong)n);
            var a = new float[n * n];
            var b = new float[n * n];
            var c = new float[n * n];
            for (var i = 0; i < a.Length; i++)
            {
                a[i] = random.NextUniform(-1, 1);
                b[i] = random.NextUniform(-1, 1);
            }

            var flops = 2.0 * n * n * n;
            Gemm.MaxThreads = threads;
            var netgen = Timing.MedianSecondsPerIteration(() => Gemm.Multiply<float>(false, false, n, n, n, a, b, c, false), settings.Target, settings.Repeats, settings.Warmup);
            yield return new Measurement($"sgemm_{n}", threads, flops / netgen / 1e9, "GFLOP/s");

            if (OpenBlas.IsAvailable)
            {
                OpenBlas.SetThreads(threads);
                var blas = Timing.MedianSecondsPerIteration(() => OpenBlasMultiply(a, b, c, n), settings.Target, settings.Repeats, settings.Warmup);
                yield return new Measurement($"openblas_{n}", threads, flops / blas / 1e9, "GFLOP/s");
            }
        }

        Gemm.MaxThreads = Environment.ProcessorCount;
    }

    private static unsafe void OpenBlasMultiply(float[] a, float[] b, float[] c, int n)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            OpenBlas.Sgemm(OpenBlas.RowMajor, OpenBlas.NoTrans, OpenBlas.NoTrans, n, n, n, 1f, pa, n, pb, n, 0f, pc, n);
        }
    }
}
