using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen.Bench;

/// <summary>
/// The machine's measured single-core FMA peak: 16 independent AVX-512 FMA chains (enough to hide
/// the 4-cycle latency on two ports), no memory traffic. GEMM efficiency is reported against it.
/// </summary>
internal static class FmaPeak
{
    public static double GflopsOneCore()
    {
        if (!Avx512F.IsSupported)
        {
            return double.NaN;
        }

        Run(1000);
        var best = 0.0;
        // Many short attempts (about 12 ms each at full speed), best kept: on a shared machine one of them
        // still finds the core to itself, where a few long ones may all share it (5 of 50 ms once measured 122
        // GFLOP/s under load against 208 quiet).
        for (var attempt = 0; attempt < 40; attempt++)
        {
            const int iterations = 500_000;
            var clock = Stopwatch.StartNew();
            Run(iterations);
            var flops = iterations * 16.0 * 16 * 2; // 16 chains × 16 lanes × (mul + add)
            best = System.Math.Max(best, flops / clock.Elapsed.TotalSeconds / 1e9);
        }

        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Run(int iterations)
    {
        var m = Vector512.Create(0.999999f);
        var c = Vector512.Create(1e-7f);
        Vector512<float> a0 = m, a1 = m, a2 = m, a3 = m, a4 = m, a5 = m, a6 = m, a7 = m;
        Vector512<float> a8 = m, a9 = m, a10 = m, a11 = m, a12 = m, a13 = m, a14 = m, a15 = m;
        for (var i = 0; i < iterations; i++)
        {
            a0 = Avx512F.FusedMultiplyAdd(a0, m, c); a1 = Avx512F.FusedMultiplyAdd(a1, m, c);
            a2 = Avx512F.FusedMultiplyAdd(a2, m, c); a3 = Avx512F.FusedMultiplyAdd(a3, m, c);
            a4 = Avx512F.FusedMultiplyAdd(a4, m, c); a5 = Avx512F.FusedMultiplyAdd(a5, m, c);
            a6 = Avx512F.FusedMultiplyAdd(a6, m, c); a7 = Avx512F.FusedMultiplyAdd(a7, m, c);
            a8 = Avx512F.FusedMultiplyAdd(a8, m, c); a9 = Avx512F.FusedMultiplyAdd(a9, m, c);
            a10 = Avx512F.FusedMultiplyAdd(a10, m, c); a11 = Avx512F.FusedMultiplyAdd(a11, m, c);
            a12 = Avx512F.FusedMultiplyAdd(a12, m, c); a13 = Avx512F.FusedMultiplyAdd(a13, m, c);
            a14 = Avx512F.FusedMultiplyAdd(a14, m, c); a15 = Avx512F.FusedMultiplyAdd(a15, m, c);
        }

        var sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15;
        return Vector512.Sum(sum);
    }
}
