using System;
using System.Runtime.Intrinsics.X86;
using NetGen.Kernels;
using NetGen.Kernels.Threading;
using Xunit;
using static NetGen.Runtime.Tests.Kernels.TestVectors;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// Winograd's chunks of tiles on the worker pool: on two threads each value must be what one thread
/// gives, bit for bit, pooled or stored, in a batch or for one image (whose tiles are shared too).
/// In the GEMM tests' collection, so no other test holds the pool while these count its runs.
/// </summary>
[Collection(nameof(GemmThreadingTests))]
public sealed class WinogradThreadingTests
{
    [Theory]
    [InlineData(4)] // Chollet's conv3 shape, smaller
    [InlineData(1)] // one image: its 17 × 17 windows still split into chunks for both threads
    public void Pooled_forward_runs_on_the_pool_and_equals_one_thread_bitwise(int batch)
    {
        var g = new WindowGeometry(64, 36, 36, 3, 1, 0);
        const int filters = 24;
        var pool = new WindowGeometry(filters, g.OutputHeight, g.OutputWidth, 2, 2, 0);
        var x = Random(batch * g.InputSize, 51);
        var weight = Random(filters * g.PatchSize, 52);
        var bias = Random(filters, 53);

        (float[] Y, int[] Positions) Run(int threads)
        {
            var y = new float[batch * filters * pool.OutputPlane];
            var positions = new int[y.Length];
            OnThreads(threads, () => WinogradPooledConvolution.Forward<float>(x, weight, bias, y, positions, batch, g, filters, pool));
            return (y, positions);
        }

        var single = Run(1);
        var runs = WorkerPool.Shared.CompletedRuns;
        var threaded = Run(2);

        Assert.Equal(runs + (Avx512F.IsSupported ? 1 : 0), WorkerPool.Shared.CompletedRuns); // elsewhere it computes tile by tile, on one thread
        Assert.Equal(single.Y, threaded.Y);
        Assert.Equal(single.Positions, threaded.Positions);
    }

    [Fact]
    public void Input_gradient_from_a_pooled_gradient_runs_on_the_pool_and_equals_one_thread_bitwise()
    {
        var g = new WindowGeometry(24, 30, 30, 3, 1, 0);
        const int batch = 3, filters = 32;
        var (pool, x, weight, dy, y, positions) = PooledForward(g, batch, filters, 56);

        float[] Run(int threads)
        {
            var dx = new float[x.Length];
            OnThreads(threads, () => WinogradPooledConvolution.Backward<float>(dy, y, positions, x, weight, default, default, dx, batch, g, filters, pool, Activation.None, default));
            return dx;
        }

        var single = Run(1);
        var runs = WorkerPool.Shared.CompletedRuns;
        var threaded = Run(2);

        Assert.Equal(runs + (Avx512F.IsSupported ? 1 : 0), WorkerPool.Shared.CompletedRuns);
        Assert.Equal(single, threaded);
    }

    [Fact]
    public void Winograd_weight_gradient_in_sample_groups_equals_one_thread_bitwise()
    {
        // Three groups of 8 samples: one thread sums all three, two threads one and two, then the partials pairwise.
        var g = new WindowGeometry(16, 13, 13, 3, 1, 0);
        const int batch = 24, filters = 32;
        var (pool, x, weight, dy, y, positions) = PooledForward(g, batch, filters, 59);

        (float[] Weight, float[] Bias) Run(int threads)
        {
            float[] dw = new float[weight.Length], db = new float[filters];
            OnThreads(threads, () => WinogradPooledConvolution.Backward<float>(dy, y, positions, x, weight, dw, db, default, batch, g, filters, pool, Activation.None, default));
            return (dw, db);
        }

        var single = Run(1);
        var threaded = Run(2);

        Assert.Equal(single.Weight, threaded.Weight);
        Assert.Equal(single.Bias, threaded.Bias);
        Assert.Contains(single.Weight, v => v != 0);
    }

    [Fact]
    public void Stored_forward_runs_on_the_pool_and_equals_one_thread_bitwise()
    {
        var g = new WindowGeometry(32, 21, 20, 3, 1, 1);
        const int batch = 3, filters = 16;
        var x = Random(batch * g.InputSize, 54);
        var weight = Random(filters * g.PatchSize, 55);

        float[] Run(int threads)
        {
            var y = new float[batch * filters * g.OutputPlane];
            OnThreads(threads, () => WinogradConvolution.Forward<float>(x, weight, default, y, default, batch, g, filters, Activation.None));
            return y;
        }

        var single = Run(1);
        var runs = WorkerPool.Shared.CompletedRuns;
        var threaded = Run(2);

        Assert.Equal(runs + (Avx512F.IsSupported ? 1 : 0), WorkerPool.Shared.CompletedRuns);
        Assert.Equal(single, threaded);
    }

    /// <summary>A pooled Winograd forward pass of random inputs and weights (seeds from <paramref name="seed"/> on), and a random pooled gradient.</summary>
    private static (WindowGeometry Pool, float[] X, float[] Weight, float[] Dy, float[] Y, int[] Positions) PooledForward(WindowGeometry g, int batch, int filters, ulong seed)
    {
        var pool = new WindowGeometry(filters, g.OutputHeight, g.OutputWidth, 2, 2, 0);
        var x = Random(batch * g.InputSize, seed);
        var weight = Random(filters * g.PatchSize, seed + 1);
        var dy = Random(batch * filters * pool.OutputPlane, seed + 2);
        var y = new float[dy.Length];
        var positions = new int[dy.Length];
        WinogradPooledConvolution.Forward<float>(x, weight, default, y, positions, batch, g, filters, pool);
        return (pool, x, weight, dy, y, positions);
    }

    private static void OnThreads(int threads, Action action)
    {
        var before = Gemm.MaxThreads;
        Gemm.MaxThreads = threads;
        try
        {
            action();
        }
        finally
        {
            Gemm.MaxThreads = before;
        }
    }
}
