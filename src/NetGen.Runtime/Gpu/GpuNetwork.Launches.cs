using System;

namespace NetGen.Gpu;

/// <summary>What the generated class fills in (its passes) and the launch helpers they call.</summary>
public abstract partial class GpuNetwork
{
    /// <summary>Work items per group of one-dimensional kernels.</summary>
    private const int GroupSize = 64;

    /// <summary>Edge of the output tile one SGEMM work group computes, and its threads per edge.</summary>
    private const int GemmTile = 32;
    private const int GemmThreads = 16;

    /// <summary>
    /// What the runtime appends to every network's kernel source (after the generated prelude): the
    /// <c>FMA</c> macro the optimizers' kernels use, the kernel clearing frozen layers' gradients, and
    /// then <see cref="NetGen.Optimizers.DeviceUpdates.Kernels"/>.
    /// </summary>
    private const string RuntimeKernels = """

        // A fused multiply-add rounded once, as the CPU's Vector.FusedMultiplyAdd (OpenCL's fma is overloaded; CUDA names the float one fmaf).
        #ifndef FMA
        #ifdef __OPENCL_VERSION__
        #define FMA(a, b, c) fma(a, b, c)
        #else
        #define FMA(a, b, c) fmaf(a, b, c)
        #endif
        #endif

        // Zeroes x[offset, offset + count): the gradients of frozen layers, which backward on the device still computes.
        KERNEL void fill_zero(GLOBAL float* x, int offset, int count)
        {
            int i = GLOBAL_ID(0);
            if (i >= count) return;
            x[offset + i] = 0.0f;
        }

        """;

    /// <summary>Per-sample offset of the last layer's output in <see cref="Activations"/>.</summary>
    protected abstract int OutputOffset { get; }

    /// <summary>
    /// Refuses a batch the network cannot take, on the host before it is staged, with the CPU's error: an
    /// Embedding's token ids outside its vocabulary. Accepts every batch unless the network overrides it.
    /// </summary>
    protected virtual void CheckInputs(ReadOnlySpan<float> inputs)
    {
    }

    /// <summary>Launches every layer's forward kernels; <paramref name="training"/> makes Dropout drop.</summary>
    protected abstract void RunForward(int batch, bool training);

    /// <summary>Launches the loss kernel: loss terms, and the gradient of the last layer's output that seeds backward.</summary>
    protected abstract void RunLoss(int batch, bool labels);

    /// <summary>Launches every layer's backward kernels in reverse order.</summary>
    protected abstract void RunBackward(int batch);

    /// <summary>Applies the link the loss absorbed (softmax, sigmoid) to the outputs, for inference.</summary>
    protected abstract void ApplyLink(int batch);

    /// <summary>Launches a one-dimensional kernel over <paramref name="count"/> items (the kernel ignores items past the count).</summary>
    protected void Launch(string kernel, int count, params ReadOnlySpan<GpuArg> args)
    {
        var groups = Math.Max(1, (count + GroupSize - 1) / GroupSize);
        Backend.Launch(Program, kernel, new GpuGrid(groups * GroupSize, 1), new GpuGrid(GroupSize, 1), args);
    }

    /// <summary>
    /// <c>C[m, n] (+)= Σₖ A(m, k) · B(k, n)</c> on the device. A and B are read through
    /// strides, so either may be transposed: <c>A(m, k) = a[aOffset + m·aRow + k·aColumn]</c>; C is
    /// row-major with <paramref name="n"/> columns.
    /// </summary>
    /// <remarks>A backend with a vendor BLAS (cuBLAS) runs it there; otherwise the tiled kernel does.</remarks>
    protected void Gemm(int m, int n, int k, GpuBuffer a, int aOffset, int aRow, int aColumn, GpuBuffer b, int bOffset, int bRow, int bColumn, GpuBuffer c, int cOffset, bool accumulate)
    {
        if (!Backend.TryGemm(new GpuGemm(m, n, k, a, aOffset, aRow, aColumn, b, bOffset, bRow, bColumn, c, cOffset, accumulate)))
        {
            Tiled("sgemm", m, n, k, a, aOffset, aRow, aColumn, b, bOffset, bRow, bColumn, c, cOffset, accumulate ? 1 : 0);
        }
    }

    /// <summary>
    /// Launches a kernel built on the tiled GEMM body (<c>kernel(m, n, k, args…)</c>: the SGEMM or a
    /// convolution's implicit GEMM), one 16 × 16 work group per 32 × 32 tile of the <c>m × n</c> result.
    /// </summary>
    protected void Tiled(string kernel, int m, int n, int k, params ReadOnlySpan<GpuArg> args)
    {
        var global = new GpuGrid((n + GemmTile - 1) / GemmTile * GemmThreads, (m + GemmTile - 1) / GemmTile * GemmThreads);
        // One array kept for every launch (GpuArg holds a buffer reference, so no stackalloc): no allocation per step.
        if (_tiledArguments.Length < args.Length + 3)
        {
            _tiledArguments = new GpuArg[args.Length + 3];
        }

        var all = _tiledArguments.AsSpan(0, args.Length + 3);
        all[0] = m;
        all[1] = n;
        all[2] = k;
        args.CopyTo(all[3..]);
        Backend.Launch(Program, kernel, global, new GpuGrid(GemmThreads, GemmThreads), all);
    }

    /// <summary>
    /// Dropout over <paramref name="count"/> values: in training the mask of (<paramref name="seed"/>,
    /// <paramref name="layer"/>, <see cref="TrainingSteps"/>) that <see cref="NetGen.Dropout.Forward{T}"/>
    /// draws on the CPU, written to <paramref name="mask"/>; in inference an exact copy.
    /// </summary>
    protected void LaunchDropout(bool training, int seed, int layer, double rate, int count, GpuBuffer x, int xOffset, GpuBuffer y, int yOffset, GpuBuffer mask, int maskOffset)
    {
        if (!training)
        {
            Launch("dropout_forward", count, x, xOffset, y, yOffset, mask, maskOffset, count, 0, 0, 0, 1.0f);
            return;
        }

        // As NetGen.Dropout.Forward: keep when the high 32 bits reach rate · 2³² (below 2³² since rate < 1).
        var stream = NetGen.Dropout.StreamSeed(seed, layer, TrainingSteps);
        var threshold = (ulong)(rate * 4294967296.0);
        var scale = (float)(1.0 / (1.0 - rate));
        Launch("dropout_forward", count, x, xOffset, y, yOffset, mask, maskOffset, count, unchecked((int)(uint)stream), unchecked((int)(uint)(stream >> 32)), unchecked((int)(uint)threshold), scale);
    }

    /// <summary>Refuses a training batch with fewer than two values per channel for BatchNorm <paramref name="layer"/>, as the CPU does.</summary>
    protected void RequireBatchStatistics(string layer, int batch, int spatial)
    {
        if (batch * spatial < 2)
        {
            throw new InvalidOperationException($"BatchNorm '{layer}' needs more than one value per channel in training, but the batch has {batch} sample(s) of {spatial} value(s) per channel; train with a batch of at least 2.");
        }
    }
}
