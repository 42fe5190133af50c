using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace NetGen.Kernels;

/// <summary>
/// The gradient of a tensor with several consumers: each consumer's backward writes its share
/// without the producer's activation derivative, <see cref="Accumulate{T}"/> sums the shares, and
/// <see cref="Finish{T}"/> applies the derivative once to the sum (it distributes over the sum, and
/// Softmax's Jacobian must see the whole summed row).
/// </summary>
public static class GradientSum
{
    /// <summary><c>gradient += addend</c> over <paramref name="count"/> values.</summary>
    /// <exception cref="ArgumentException">A span holds fewer than <paramref name="count"/> values.</exception>
    public static void Accumulate<T>(Span<T> gradient, ReadOnlySpan<T> addend, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Add.CheckLength(gradient.Length, count, nameof(gradient));
        Add.CheckLength(addend.Length, count, nameof(addend));
        TensorPrimitives.Add(gradient[..count], addend[..count], gradient[..count]);
    }

    /// <summary>
    /// Turns the summed gradient of the producer's output into that of its pre-activation, in place:
    /// nothing for None, <c>⊙ act′(saved)</c> for an elementwise activation, the row-wise Jacobian
    /// product for Softmax (rows of <paramref name="width"/>, one per sample). An empty <paramref name="gradient"/> means nobody needs it (the layers before are frozen): nothing to do.
    /// </summary>
    /// <exception cref="ArgumentException">A span holds fewer than <paramref name="rows"/> × <paramref name="width"/> values.</exception>
    public static void Finish<T>(Span<T> gradient, int rows, int width, Activation activation, ReadOnlySpan<T> saved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gradient.IsEmpty)
        {
            return;
        }

        WindowGeometry.CheckLength(gradient.Length, rows, width, nameof(gradient));
        if (activation != Activation.None)
        {
            WindowGeometry.CheckLength(saved.Length, rows, width, nameof(saved));
        }

        Activations.Backward(activation, gradient, saved, rows, width);
    }
}
