using System;
using System.Collections.Generic;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// Joins its inputs along the first per-sample axis (the channels of an image <c>[C, H, W]</c>, the
/// features of a vector): each sample of the output holds input 0's values, then input 1's, and so
/// on. It has no parameters; the static <see cref="Forward{T}"/> / <see cref="Backward{T}"/> pair
/// moves one input at a time, at its <c>offset</c> inside each output sample.
/// </summary>
public sealed class Concat : Layer
{
    /// <summary>Creates the view of a concat layer named <paramref name="name"/>.</summary>
    public Concat(string name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorView> Parameters => Array.Empty<TensorView>();

    /// <summary>
    /// <c>y[s, offset + i] = x[s, i]</c>: copies one input <c>[batch, inputSize]</c> into its place in
    /// the output <c>[batch, outputSize]</c>, <paramref name="offset"/> values into each sample.
    /// </summary>
    /// <exception cref="ArgumentException">The slice does not fit the output sample, or a span is shorter than the batch needs.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, int inputSize, int outputSize, int offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, y.Length, batch, inputSize, outputSize, offset, nameof(x), nameof(y));
        for (var s = 0; s < batch; s++)
        {
            x.Slice(s * inputSize, inputSize).CopyTo(y.Slice((s * outputSize) + offset, inputSize));
        }
    }

    /// <summary>
    /// The gradient of one input: its slice of <paramref name="dy"/>, times the derivative of the
    /// activation of the layer that produced it, <c>dx = dy[:, offset..offset + inputSize] ⊙ act′(saved)</c>
    /// (a Softmax producer takes its Jacobian over each sample's row). Does nothing when
    /// <paramref name="dx"/> is empty (nobody needs that input's gradient).
    /// </summary>
    /// <exception cref="ArgumentException">The slice does not fit the output sample, or a span is shorter than the batch needs.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, int inputSize, int outputSize, int offset, Activation previousActivation, ReadOnlySpan<T> previousSaved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dx.IsEmpty)
        {
            return;
        }

        Check(dx.Length, dy.Length, batch, inputSize, outputSize, offset, nameof(dx), nameof(dy));
        if (previousActivation != Activation.None)
        {
            WindowGeometry.CheckLength(previousSaved.Length, batch, inputSize, nameof(previousSaved));
        }

        for (var s = 0; s < batch; s++)
        {
            // One pass per sample: its slice of dy through the producer's derivative (a Softmax row is one sample).
            var saved = previousActivation == Activation.None ? default : previousSaved.Slice(s * inputSize, inputSize);
            Activations.BackwardInto(previousActivation, dy.Slice((s * outputSize) + offset, inputSize), dx.Slice(s * inputSize, inputSize), saved, 1, inputSize);
        }
    }

    private static void Check(int inputLength, int outputLength, int batch, int inputSize, int outputSize, int offset, string inputName, string outputName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1, nameof(inputSize));
        ArgumentOutOfRangeException.ThrowIfNegative(offset, nameof(offset));
        if (offset + inputSize > outputSize)
        {
            throw new ArgumentException($"An input of {inputSize} values at offset {offset} does not fit an output sample of {outputSize}.", nameof(offset));
        }

        WindowGeometry.CheckLength(inputLength, batch, inputSize, inputName);
        WindowGeometry.CheckLength(outputLength, batch, outputSize, outputName);
    }
}
