using System;

namespace NetGen.Kernels;

/// <summary>
/// The calling thread's scratch buffer for one purpose and element type, grown to the largest length
/// asked for and then reused, so training steps after the first allocate nothing. Each purpose has its
/// own buffer because their spans are alive at the same time (a convolution's columns while its group
/// partials are summed, a transposed W_hh across a recurrent pass).
/// </summary>
/// <typeparam name="TPurpose">One of the marker types in <see cref="ScratchPurpose"/>.</typeparam>
/// <typeparam name="T">The element type.</typeparam>
internal static class ThreadScratch<TPurpose, T>
    where TPurpose : ScratchPurpose
    where T : unmanaged
{
    [ThreadStatic]
    private static T[]? t_buffer;

    /// <summary>A span of <paramref name="length"/> values, valid until the thread's next rent for the same purpose; contents are undefined.</summary>
    public static Span<T> Rent(int length)
    {
        var buffer = t_buffer;
        if (buffer is null || buffer.Length < length)
        {
            buffer = new T[length];
            t_buffer = buffer;
        }

        return buffer.AsSpan(0, length);
    }
}

/// <summary>The purposes a thread keeps a <see cref="ThreadScratch{TPurpose, T}"/> buffer for: every grow-only scratch of a training step, in one list.</summary>
internal abstract class ScratchPurpose
{
    private ScratchPurpose()
    {
    }

    /// <summary>
    /// One chunk of samples' im2col columns (and their gradient and the chunk's products). A chunk is
    /// capped (<c>Conv2D.ColumnBudget</c>), so memory grows with the batch only up to that cap.
    /// </summary>
    public sealed class ConvolutionColumns : ScratchPurpose
    {
        private ConvolutionColumns()
        {
        }
    }

    /// <summary>The <see cref="SampleGroups"/> partial gradients of one layer's backward pass: Conv2D's weight and bias (Dense keeps its partials on the stack, <see cref="GroupedWeightGradient{T}"/>).</summary>
    public sealed class GroupPartials : ScratchPurpose
    {
        private GroupPartials()
        {
        }
    }

    /// <summary>The 16 lanes of each weight's gradient sum that the direct convolution keeps across a chunk's samples (<c>DirectConvolutionFloat.WeightGradient</c>), beside the chunk's <see cref="ConvolutionColumns"/>.</summary>
    public sealed class DirectLaneSums : ScratchPurpose
    {
        private DirectLaneSums()
        {
        }
    }

    /// <summary>A Winograd input gradient's transformed (turned) weights, packed on the calling thread and read by every worker (<c>WinogradTiles.TransformWeights</c>; forward passes keep theirs in <c>WinogradWeightCache</c>).</summary>
    public sealed class WinogradWeights : ScratchPurpose
    {
        private WinogradWeights()
        {
        }
    }

    /// <summary>One chunk of a worker's Winograd tiles, transformed, with its products' register tile (<c>WinogradTilesFloat</c>, capped at half of L2), or with a sample group's weight-gradient sums (<c>WinogradWeightGradient</c>).</summary>
    public sealed class WinogradTiles : ScratchPurpose
    {
        private WinogradTiles()
        {
        }
    }

    /// <summary>The exponentials of a batch's logits and each row's maximum, for softmax cross-entropy (<c>Losses.SoftmaxCrossEntropy</c>).</summary>
    public sealed class LossExponentials : ScratchPurpose
    {
        private LossExponentials()
        {
        }
    }

    /// <summary>A recurrent layer's W_hh laid out once per pass for its step products (<c>RecurrentProduct.ForwardWeights</c>, <c>BackwardWeights</c>).</summary>
    public sealed class TransposedWeights : ScratchPurpose
    {
        private TransposedWeights()
        {
        }
    }

    /// <summary>A recurrent layer's <c>dW_ih</c> as the product computes it, transposed (<c>RecurrentProduct.InputWeightGradient</c>).</summary>
    public sealed class TransposedWeightGradient : ScratchPurpose
    {
        private TransposedWeightGradient()
        {
        }
    }

    /// <summary>
    /// A recurrent layer's recurrent-side gate gradients of every step <c>[steps, B, Gates·hidden]</c>, written by the
    /// batch-split time loop and summed into <c>dW_hh</c> and <c>db_hh</c> after it (<c>RecurrentLayer.BackwardLoop</c>).
    /// </summary>
    public sealed class RecurrentGradients : ScratchPurpose
    {
        private RecurrentGradients()
        {
        }
    }
}
