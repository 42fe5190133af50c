using System;
using NetGen;
using NetGen.Kernels;
using NetGen.Kernels.Threading;
using NetGen.Optimizers;
using Xunit;
using static NetGen.Runtime.Tests.Kernels.TestVectors;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The step's kernels beside the GEMM (convolutions split over the batch, max pooling, Dense's weight gradient, BatchNorm, Dropout, the optimizer update) on the
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

    [Fact]
    public void Convolution_splits_the_batch_over_the_pool_and_equals_one_thread_bitwise()
    {
        // The MNIST CNN's second convolution at batch 36: four groups of 8 and one of 4, ReLU before it.
        var g = new WindowGeometry(16, 13, 13, 3, 1, 0);
        const int batch = 36;
        const int filters = 32;
        var single = Convolve(g, filters, batch, threads: 1);

        var runs = WorkerPool.Shared.CompletedRuns;
        var threaded = Convolve(g, filters, batch, threads: 2);

        // Forward and backward over the groups: one run each (the partials' sum, 5 × 4,640 values, is too small to share).
        Assert.Equal(runs + 2, WorkerPool.Shared.CompletedRuns);
        Assert.Equal(single.Y, threaded.Y);
        Assert.Equal(single.WeightGradient, threaded.WeightGradient);
        Assert.Equal(single.BiasGradient, threaded.BiasGradient);
        Assert.Equal(single.Dx, threaded.Dx);
    }

    [Fact]
    public void Convolution_gradient_of_a_batch_is_bitwise_the_sum_of_its_two_halves_as_a_data_parallel_all_reduce_adds_them()
    {
        // 32 samples against two shards of 16: what rank 0 and rank 1 of a 2-process run of batch 32 compute.
        var g = new WindowGeometry(16, 13, 13, 3, 1, 0);
        const int batch = 32;
        const int filters = 32;
        var whole = Convolve(g, filters, batch, threads: 2);
        var first = Convolve(g, filters, batch, threads: 1, firstSample: 0, samples: batch / 2);
        var second = Convolve(g, filters, batch, threads: 1, firstSample: batch / 2, samples: batch / 2);

        Assert.Equal(whole.WeightGradient, Sum(first.WeightGradient, second.WeightGradient));
        Assert.Equal(whole.BiasGradient, Sum(first.BiasGradient, second.BiasGradient));
        float[] halves = [.. first.Dx, .. second.Dx];
        Assert.Equal(whole.Dx, halves);
    }

    [Fact]
    public void Dense_weight_gradient_splits_its_rows_over_the_pool_in_one_run_and_equals_one_thread_bitwise()
    {
        // Chollet's fc1 narrowed to 130 units (not a multiple of the 4-row tile) and 800 inputs (a 32-column tail) at batch 32.
        const int batch = 32, inputs = 800, units = 130;
        var x = Random(batch * inputs, 41);
        var dz = Random(batch * units, 42);
        var single = DenseWeightGradient(x, dz, batch, inputs, units, threads: 1);

        var runs = WorkerPool.Shared.CompletedRuns;
        var threaded = DenseWeightGradient(x, dz, batch, inputs, units, threads: 2);

        // One run for all four groups: no product per group, no pass over per-group partials.
        Assert.Equal(runs + 1, WorkerPool.Shared.CompletedRuns);
        Assert.Equal(single, threaded);
    }

    [Fact]
    public void BatchNorm_splits_its_channels_over_the_pool_and_equals_one_thread_bitwise()
    {
        // A 2D batch normalisation of 64 channels of 8×8 at batch 16, ReLU after it and before it.
        const int batch = 16, channels = 64, spatial = 64;
        var single = Normalize(batch, channels, spatial, threads: 1);

        var runs = WorkerPool.Shared.CompletedRuns;
        var threaded = Normalize(batch, channels, spatial, threads: 2);

        // Training forward, inference forward and backward: one run each.
        Assert.Equal(runs + 3, WorkerPool.Shared.CompletedRuns);
        Assert.Equal(single, threaded);
    }

    [Fact]
    public void Dropout_splits_its_values_over_the_pool_and_equals_one_thread_bitwise()
    {
        // The Chollet convnet's dropout: 6272 features at batch 16, ReLU before it.
        const int count = 16 * 6272;
        var single = Drop(count, threads: 1);

        var runs = WorkerPool.Shared.CompletedRuns;
        var threaded = Drop(count, threads: 2);

        Assert.Equal(runs + 2, WorkerPool.Shared.CompletedRuns);
        Assert.Equal(single, threaded);
    }

    /// <summary>The output, mask and input gradient of a dropout's forward and backward pass, concatenated.</summary>
    private static float[] Drop(int count, int threads)
    {
        var x = Random(count, 71);
        var dy = Random(count, 72);
        var (y, mask, dx) = (new float[count], new float[count], new float[count]);
        OnThreads(threads, () =>
        {
            Dropout.Forward<float>(x, y, mask, 0.5, Dropout.StreamSeed(networkSeed: 3, layer: 9, step: 4));
            Dropout.Backward<float>(dy, mask, dx, 16, count / 16, Activation.ReLU, x);
        });
        return [.. y, .. mask, .. dx];
    }

    /// <summary>Every output of a training pass, an inference pass and a backward pass, concatenated.</summary>
    private static float[] Normalize(int batch, int channels, int spatial, int threads)
    {
        var count = batch * channels * spatial;
        var x = Random(count, 61);
        var dz = Random(count, 62);
        var gamma = Random(channels, 63);
        var beta = Random(channels, 64);
        var runningMean = new float[channels];
        var runningVar = new float[channels];
        Array.Fill(runningVar, 1f);
        var (y, normalized, inference, dx) = (new float[count], new float[count], new float[count], new float[count]);
        var (inverseStd, gammaGradient, betaGradient) = (new float[channels], new float[channels], new float[channels]);
        OnThreads(threads, () =>
        {
            BatchNorm.ForwardTraining<float>(x, gamma, beta, runningMean, runningVar, y, default, normalized, inverseStd, batch, channels, spatial, 0.1, 1e-5, Activation.ReLU);
            BatchNorm.ForwardInference<float>(x, gamma, beta, runningMean, runningVar, inference, default, batch, channels, spatial, 1e-5, Activation.ReLU);
            BatchNorm.Backward<float>(dz, normalized, inverseStd, gamma, gammaGradient, betaGradient, dx, batch, channels, spatial, Activation.ReLU, x);
        });
        return [.. y, .. normalized, .. inverseStd, .. runningMean, .. runningVar, .. inference, .. gammaGradient, .. betaGradient, .. dx];
    }

    private static float[] DenseWeightGradient(float[] x, float[] dz, int batch, int inputs, int units, int threads)
    {
        var weight = new float[units * inputs];
        var weightGradient = new float[weight.Length];
        OnThreads(threads, () => Dense.Backward<float>(dz, x, weight, weightGradient, default, default, batch, inputs, units, Activation.None, default));
        return weightGradient;
    }

    /// <summary>Forward and backward of samples <c>[firstSample, firstSample + samples)</c> of a random batch (all of it by default).</summary>
    private static (float[] Y, float[] WeightGradient, float[] BiasGradient, float[] Dx) Convolve(WindowGeometry g, int filters, int batch, int threads, int firstSample = 0, int samples = -1)
    {
        samples = samples < 0 ? batch : samples;
        var outputSize = filters * g.OutputPlane;
        var x = Random(batch * g.InputSize, 21).AsSpan(firstSample * g.InputSize, samples * g.InputSize).ToArray();
        var dz = Random(batch * outputSize, 22).AsSpan(firstSample * outputSize, samples * outputSize).ToArray();
        var weight = Random(filters * g.PatchSize, 23);
        var bias = Random(filters, 24);
        var y = new float[samples * outputSize];
        var weightGradient = new float[weight.Length];
        var biasGradient = new float[filters];
        var dx = new float[x.Length];
        OnThreads(threads, () =>
        {
            Conv2D.Forward<float>(x, weight, bias, y, default, samples, g, filters, Activation.ReLU);
            Conv2D.Backward<float>(dz, x, weight, weightGradient, biasGradient, dx, samples, g, filters, Activation.ReLU, x);
        });
        return (y, weightGradient, biasGradient, dx);
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
}
