using System;
using NetGen;
using NetGen.Kernels;
using NetGen.Kernels.Threading;
using NetGen.Optimizers;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The step's kernels beside the GEMM (convolution groups, max pooling, the optimizer update) on the
/// worker pool: each must take the pool and give what one thread gives. In the GEMM tests' collection,
/// so no other test holds the pool while these count its runs.
/// </summary>
[Collection(nameof(GemmThreadingTests))]
public sealed class StepParallelTests
{
    // MNIST's second convolution: 16 × 13×13 in, 32 filters; a batch of 13 in 4 groups (4, 3, 3, 3 samples).
    private static readonly WindowGeometry Convolution = new(16, 13, 13, 3, 1, 0);
    private const int Filters = 32, Batch = 13, Groups = 4;

    [Fact]
    public void Grouped_convolution_forward_runs_on_the_pool_and_equals_one_thread_bitwise()
    {
        var g = Convolution;
        var x = Random(Batch * g.InputSize, 1);
        var weight = Random(Filters * g.PatchSize, 2);
        var bias = Random(Filters, 3);
        var single = new float[Batch * Filters * g.OutputPlane];
        var grouped = new float[single.Length];
        OnThreads(1, () => Conv2D.Forward<float>(x, weight, bias, single, default, Batch, g, Filters, Activation.ReLU));

        var runs = WorkerPool.Shared.CompletedRuns;
        OnThreads(2, () => Conv2D.Forward<float>(x, weight, bias, grouped, default, Batch, g, Filters, Activation.ReLU, sampleGroups: Groups));

        Assert.True(WorkerPool.Shared.CompletedRuns > runs, "the groups did not run on the pool");
        // Each output is the same product whichever group and core compute it.
        Assert.Equal(single, grouped);
    }

    [Fact]
    public void Grouped_convolution_backward_does_not_depend_on_the_thread_count()
    {
        var g = Convolution;
        var dz = Random(Batch * Filters * g.OutputPlane, 4);
        var x = Random(Batch * g.InputSize, 5);
        var weight = Random(Filters * g.PatchSize, 6);
        var saved = Random(Batch * g.InputSize, 7);
        var (ungroupedWeight, _) = ConvolutionBackward(dz, x, weight, saved, threads: 1, groups: 1);
        var (oneThreadWeight, oneThreadDx) = ConvolutionBackward(dz, x, weight, saved, threads: 1, groups: Groups);

        var runs = WorkerPool.Shared.CompletedRuns;
        var (twoThreadWeight, twoThreadDx) = ConvolutionBackward(dz, x, weight, saved, threads: 2, groups: Groups);

        Assert.True(WorkerPool.Shared.CompletedRuns > runs, "the groups did not run on the pool");
        Assert.Equal(oneThreadWeight, twoThreadWeight);
        Assert.Equal(oneThreadDx, twoThreadDx);
        // The partial sums of the groups round differently from one sum over the batch: close, not equal.
        for (var i = 0; i < ungroupedWeight.Length; i++)
        {
            Assert.True(Math.Abs(ungroupedWeight[i] - oneThreadWeight[i]) <= 1e-5f * (1 + Math.Abs(ungroupedWeight[i])), $"dW[{i}]: {ungroupedWeight[i]} vs {oneThreadWeight[i]}");
        }
    }

    [Fact]
    public void Grouped_convolution_adds_to_the_weight_gradient_when_accumulating()
    {
        var g = Convolution;
        var dz = Random(Batch * Filters * g.OutputPlane, 8);
        var x = Random(Batch * g.InputSize, 9);
        var weight = Random(Filters * g.PatchSize, 10);
        var (once, _) = ConvolutionBackward(dz, x, weight, default, threads: 2, groups: Groups);
        var twice = (float[])once.Clone();

        Conv2D.Backward<float>(dz, x, weight, twice, default, default, Batch, g, Filters, Activation.None, default, accumulate: true, sampleGroups: Groups);

        for (var i = 0; i < once.Length; i++)
        {
            Assert.Equal(once[i] + once[i], twice[i], 1e-4f * (1 + Math.Abs(once[i])));
        }
    }

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

    private static (float[] WeightGradient, float[] Dx) ConvolutionBackward(float[] dz, float[] x, float[] weight, float[]? saved, int threads, int groups)
    {
        var g = Convolution;
        var weightGradient = new float[weight.Length];
        var dx = saved is null ? [] : new float[Batch * g.InputSize];
        OnThreads(threads, () => Conv2D.Backward<float>(dz, x, weight, weightGradient, default, dx, Batch, g, Filters, saved is null ? Activation.None : Activation.ReLU, saved, sampleGroups: groups));
        return (weightGradient, dx);
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
