using System;
using NetGen;
using NetGen.Kernels;
using NetGen.Kernels.Threading;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>Runs alone, so no other test's product holds the worker pool while these check its use.</summary>
[CollectionDefinition(nameof(GemmThreadingTests), DisableParallelization = true)]
public sealed class GemmThreadingCollection;

[Collection(nameof(GemmThreadingTests))]
public class GemmThreadingTests
{
    [Theory]
    [InlineData(300, 200, 100, false, false)]
    [InlineData(100, 300, 200, true, true)]
    [InlineData(257, 70, 411, true, false)]
    [InlineData(64, 128, 784, false, true)] // the dot kernel of GemmDirect (a dense layer's forward)
    [InlineData(32, 20000, 9, false, false)] // its broadcast kernel (a first convolution's columns)
    [InlineData(200, 2000, 16, true, false)]
    [InlineData(128, 128, 128, false, false)] // the smallest square product two threads share (2M multiply-adds)
    [InlineData(131, 67, 129, false, false)] // odd sizes just past the threshold: edge tiles in both bands
    public void Threaded_and_single_threaded_results_are_identical(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var a = GemmReference.Random(m * k, 21);
        var b = GemmReference.Random(k * n, 22);
        var bias = GemmReference.Random(n, 23);
        var epilogue = new GemmEpilogue<float> { ColumnBias = bias, Activation = Activation.GELU };
        var single = new float[m * n];
        var threaded = new float[m * n];
        Gemm.MultiplyFloat(transposeA, transposeB, m, n, k, a, b, single, false, epilogue, GemmKernelKind.Auto, maxThreads: 1);
        var runsBefore = WorkerPool.Shared.CompletedRuns;
        Gemm.MultiplyFloat(transposeA, transposeB, m, n, k, a, b, threaded, false, epilogue, GemmKernelKind.Auto, maxThreads: 3);

        Assert.Equal(runsBefore + 1, WorkerPool.Shared.CompletedRuns);
        // Every element's sum runs in the same order whichever thread computes it: bitwise equal.
        Assert.Equal(single, threaded);
    }

    [Theory]
    [InlineData(nameof(GemmKernelKind.Avx512), 128, 128, false, 64)] // 12 × 32 tiles: 2 × 11 tiles a band by columns, 6 × 4 by rows
    [InlineData(nameof(GemmKernelKind.Avx512), 512, 512, true, 264)] // 22 × 16 tiles by rows, 8 × 43 by columns: too close to leave rows
    [InlineData(nameof(GemmKernelKind.Avx512), 120, 200, true, 60)] // 5 × 7 tiles a band by rows, 4 × 10 by columns, though C is wider than tall
    [InlineData(nameof(GemmKernelKind.Avx512Direct), 64, 128, false, 64)] // 4 × 16 tiles, 8 × 8 either way: columns, as C is wider than tall
    public void Bands_leave_rows_or_columns_only_for_clearly_fewer_tiles_in_the_largest_band(string kernelName, int m, int n, bool splitsRows, int bandSize)
    {
        var kind = Enum.Parse<GemmKernelKind>(kernelName);
        if (!GemmKernel.IsSupported(kind))
        {
            return;
        }

        var work = new GemmParallelWork();
        var problem = new GemmFloatProblem { M = m, N = n, K = 64, Kernel = GemmKernel.For(kind) };

        Assert.Equal(2, work.Prepare(problem, maxParts: 2));
        Assert.Equal((splitsRows, bandSize), (work.SplitsRows, work.BandSize));
    }

    [Fact]
    public void Workers_stay_awake_between_back_to_back_runs()
    {
        const int m = 256, n = 256, k = 64;
        var a = GemmReference.Random(m * k, 27);
        var b = GemmReference.Random(k * n, 28);
        var c = new float[m * n];
        for (var i = 0; i < 20; i++)
        {
            Gemm.MultiplyFloat(false, false, m, n, k, a, b, c, false, default, GemmKernelKind.Auto, maxThreads: 2);
        }

        var runs = WorkerPool.Shared.CompletedRuns;
        var sleeps = WorkerPool.Shared.WorkerSleeps;
        for (var i = 0; i < 200; i++)
        {
            Gemm.MultiplyFloat(false, false, m, n, k, a, b, c, false, default, GemmKernelKind.Auto, maxThreads: 2);
        }

        Assert.Equal(runs + 200, WorkerPool.Shared.CompletedRuns);
        // A product of 4M multiply-adds lasts about 10 µs on two cores: a worker that blocked after each would sleep 200 times
        // (a preempted one may still oversleep its spin now and then on a shared machine).
        Assert.InRange(WorkerPool.Shared.WorkerSleeps - sleeps, 0, 50);
    }

    [Fact]
    public void Repeated_threaded_products_allocate_nothing()
    {
        const int m = 256, n = 256, k = 128;
        var a = GemmReference.Random(m * k, 24);
        var b = GemmReference.Random(k * n, 25);
        var bias = GemmReference.Random(n, 26);
        var c = new float[m * n];
        var epilogue = new GemmEpilogue<float> { ColumnBias = bias, Activation = Activation.ReLU };
        // Warm up until every lazily created piece (packing buffers, the waits' internal state,
        // tiered JIT) exists; one call may not block or may not hand this thread a band.
        for (var i = 0; i < 20; i++)
        {
            Gemm.MultiplyFloat(false, true, m, n, k, a, b, c, false, epilogue, GemmKernelKind.Auto, maxThreads: 2);
        }

        var runsBefore = WorkerPool.Shared.CompletedRuns;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            Gemm.MultiplyFloat(false, true, m, n, k, a, b, c, true, epilogue, GemmKernelKind.Auto, maxThreads: 2);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(runsBefore + 10, WorkerPool.Shared.CompletedRuns);
        Assert.Equal(0, allocated);
    }
}
