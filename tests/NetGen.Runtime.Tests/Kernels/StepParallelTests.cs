using System;
using NetGen;
using NetGen.Kernels;
using NetGen.Kernels.Threading;
using NetGen.Optimizers;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The step's kernels beside the GEMM (max pooling, the optimizer update) on the
/// worker pool: each must take the pool and give what one thread gives. In the GEMM tests' collection,
/// so no other test holds the pool while these count its runs.
/// </summary>
[Collection(nameof(GemmThreadingTests))]
public sealed class StepParallelTests
{
    [Fact]
    public void Max_pooling_runs_on_the_pool_and_equals_one_thread_bitwise()
    {
        // MNIST's first pooling at batch 16: 16 × 26×26 planes per sample.
        var g = new WindowGeometry(16, 26, 26, 2, 2, 0);
        const int batch = 16;
        var x = Random(batch * g.InputSize, 11);
        var dy = Random(batch * g.Channels * g.OutputPlane, 12);
        var (singleY, singleDx) = Pool(x, dy, g, batch, threads: 1);

        var runs = WorkerPool.Shared.CompletedRuns;
        var (threadedY, threadedDx) = Pool(x, dy, g, batch, threads: 2);

        Assert.Equal(runs + 2, WorkerPool.Shared.CompletedRuns);
        Assert.Equal(singleY, threadedY);
        Assert.Equal(singleDx, threadedDx);
    }

    [Fact]
    public void Optimizer_update_runs_on_the_pool_and_equals_one_thread_bitwise()
    {
        // MNIST CNN's parameter count, not a multiple of the vector width: the last part has a scalar tail.
        const int count = 108_618;
        var gradients = Random(count, 13);
        var start = Random(count, 14);
        var single = (float[])start.Clone();
        var threaded = (float[])start.Clone();
        var singleAdam = new Adam(count, 1e-2f);
        var threadedAdam = new Adam(count, 1e-2f);
        OnThreads(1, () =>
        {
            singleAdam.Step(single, gradients);
            singleAdam.Step(single, gradients);
        });

        var runs = WorkerPool.Shared.CompletedRuns;
        OnThreads(2, () =>
        {
            threadedAdam.Step(threaded, gradients);
            threadedAdam.Step(threaded, gradients);
        });

        Assert.Equal(runs + 2, WorkerPool.Shared.CompletedRuns);
        Assert.Equal(single, threaded);
        Assert.Equal(singleAdam.State[1].Values, threadedAdam.State[1].Values);
    }

    private static (float[] Y, float[] Dx) Pool(float[] x, float[] dy, WindowGeometry g, int batch, int threads)
    {
        var y = new float[dy.Length];
        var dx = new float[x.Length];
        OnThreads(threads, () =>
        {
            MaxPool2D.Forward<float>(x, y, batch, g);
            MaxPool2D.Backward<float>(dy, x, dx, batch, g, Activation.ReLU, x);
        });
        return (y, dx);
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

    private static float[] Random(int length, ulong seed)
    {
        var random = new SeededRandom(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = random.NextUniform(-1, 1);
        }

        return values;
    }
}
