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
