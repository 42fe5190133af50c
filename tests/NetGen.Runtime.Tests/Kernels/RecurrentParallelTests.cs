using System;
using NetGen;
using NetGen.Kernels;
using NetGen.Kernels.Threading;
using Xunit;
using static NetGen.Runtime.Tests.Kernels.TestVectors;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The recurrent time loop on the worker pool: the batch split once per pass (not once per step's product),
/// and the recurrent weight gradient summed over every step in one more run, each giving what one thread
/// gives bit for bit. In the GEMM tests' collection, so no other test holds the pool while these count its runs.
/// </summary>
[Collection(nameof(GemmThreadingTests))]
public sealed class RecurrentParallelTests
{
    // 12 samples of 16 steps, hidden 48: each step's product (12 × 192 × 48 for the LSTM) is far too small
    // to split on its own, the whole pass is not; W_hh's gradient, 16 steps of 192 × 48 × 12, is worth two
    // parts. Bidirectional with lengths, so the reverse direction's own order of steps is split too.
    private const int Batch = 12, Steps = 16, Inputs = 8, Hidden = 48;

    [Theory]
    [InlineData(4)]
    [InlineData(3)]
    public void Time_loop_splits_the_batch_once_per_pass_and_equals_one_thread_bitwise(int gates)
    {
        var single = Run(gates, threads: 1);

        var runs = WorkerPool.Shared.CompletedRuns;
        var threaded = Run(gates, threads: 2);

        // Per direction: forward's pass, backward's pass, and the sum of W_hh's gradient over the steps.
        // The products beside them (projection, dW_ih, dx) are too small to split.
        Assert.Equal(runs + 6, WorkerPool.Shared.CompletedRuns);
        Assert.Equal(single, threaded);
    }

    [Fact]
    public void Input_projection_splits_its_rows_over_the_pool_and_equals_one_thread_bitwise()
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            return;
        }

        // 701 rows (no multiple of the 4-row tiles) × 192 gates × 28 inputs: 3.8M multiply-adds, worth two parts.
        const int count = 701, rows = 192, inputs = 28;
        var (x, weights, bias) = (Random(count * inputs, 87), Random(rows * inputs, 88), Random(rows, 89));
        var packed = new float[RecurrentPanelProduct.PackedLength(inputs, rows)];
        RecurrentPanelProduct.Pack(weights, inputs, rows, transposed: true, packed);
        var single = new float[count * rows];
        RecurrentPanelProduct.Multiply(count, rows, inputs, x, false, packed, single, false, bias);

        var threaded = new float[count * rows];
        var before = Gemm.MaxThreads;
        Gemm.MaxThreads = 2;
        try
        {
            var runs = WorkerPool.Shared.CompletedRuns;
            RecurrentPanelProduct.MultiplyOverRows(count, rows, inputs, x, packed, threaded, bias);
            Assert.Equal(runs + 1, WorkerPool.Shared.CompletedRuns);
        }
        finally
        {
            Gemm.MaxThreads = before;
        }

        Assert.Equal(single, threaded);
    }

    /// <summary>Output, every parameter gradient and dx of an LSTM (4 gates) or GRU (3) pass, concatenated.</summary>
    private static float[] Run(int gates, int threads)
    {
        int rows = 2 * gates * Hidden, outputs = Batch * Steps * 2 * Hidden;
        var x = Random(Batch * Steps * Inputs, 81);
        var (weightIh, weightHh, biasIh, biasHh) = (Random(rows * Inputs, 82), Random(rows * Hidden, 83), Random(rows, 84), Random(rows, 85));
        var dy = Random(outputs, 86);
        var lengths = new float[Batch];
        for (var b = 0; b < Batch; b++)
        {
            lengths[b] = Steps - (b % 5 * 3);
        }

        var saved = new float[Batch * (gates == 4 ? LSTM.SavedPerSample(Steps, Hidden, bidirectional: true) : GRU.SavedPerSample(Steps, Hidden, bidirectional: true))];
        var (y, dx) = (new float[outputs], new float[x.Length]);
        var (weightIhGradient, weightHhGradient, biasIhGradient, biasHhGradient) = (new float[weightIh.Length], new float[weightHh.Length], new float[rows], new float[rows]);
        var before = Gemm.MaxThreads;
        Gemm.MaxThreads = threads;
        try
        {
            if (gates == 4)
            {
                LSTM.Forward<float>(x, weightIh, weightHh, biasIh, biasHh, y, saved, Batch, Steps, Inputs, Hidden, returnSequences: true, bidirectional: true, lengths);
                LSTM.Backward<float>(dy, x, weightIh, weightHh, saved, weightIhGradient, weightHhGradient, biasIhGradient, biasHhGradient, dx, Batch, Steps, Inputs, Hidden, returnSequences: true, Activation.None, default, bidirectional: true, lengths);
            }
            else
            {
                GRU.Forward<float>(x, weightIh, weightHh, biasIh, biasHh, y, saved, Batch, Steps, Inputs, Hidden, returnSequences: true, bidirectional: true, lengths);
                GRU.Backward<float>(dy, x, weightIh, weightHh, saved, weightIhGradient, weightHhGradient, biasIhGradient, biasHhGradient, dx, Batch, Steps, Inputs, Hidden, returnSequences: true, Activation.None, default, bidirectional: true, lengths);
            }
        }
        finally
        {
            Gemm.MaxThreads = before;
        }

        return [.. y, .. weightIhGradient, .. weightHhGradient, .. biasIhGradient, .. biasHhGradient, .. dx];
    }
}
