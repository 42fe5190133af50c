using System;
using System.Collections.Generic;
using System.Numerics;
using System.Numerics.Tensors;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// The residual sum of two tensors of one shape: <c>y = act(a + b)</c>. It has no parameters; the
/// static <see cref="Forward{T}"/> / <see cref="Backward{T}"/> pair is the numerics the generated code calls.
/// </summary>
public sealed class Add : Layer
{
    /// <summary>Creates the view of an add layer named <paramref name="name"/>.</summary>
    public Add(string name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorView> Parameters => Array.Empty<TensorView>();

    /// <summary>
    /// <c>y = act(a + b)</c> over <paramref name="count"/> values (batch × per-sample size).
    /// <paramref name="preActivation"/> receives <c>a + b</c> when the activation's derivative needs it
    /// (<see cref="Activations.SavesPreActivation"/>), and is ignored otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">The activation is not elementwise, or a span holds fewer than <paramref name="count"/> values.</exception>
    public static void Forward<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y, Span<T> preActivation, int count, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Activations.IsElementwise(activation))
        {
            throw new ArgumentException($"Add applies elementwise activations only, not {activation}: the sum has no rows to normalise over.", nameof(activation));
        }

        CheckLength(a.Length, count, nameof(a));
        CheckLength(b.Length, count, nameof(b));
        CheckLength(y.Length, count, nameof(y));
        if (Activations.SavesPreActivation(activation))
        {
            CheckLength(preActivation.Length, count, nameof(preActivation));
            TensorPrimitives.Add(a[..count], b[..count], preActivation[..count]);
            preActivation[..count].CopyTo(y);
        }
        else
        {
            TensorPrimitives.Add(a[..count], b[..count], y[..count]);
        }

        Activations.ApplyRows(activation, y, 1, count);
    }

    /// <summary>
    /// The gradient reaching one input: <paramref name="dz"/> (the gradient of the sum, Add's own
    /// activation derivative already applied by its consumer) times the derivative of the activation
    /// of the layer that produced this input, <c>dx = dz ⊙ act′(saved)</c>. Called once per input,
    /// each with its own producer. Does nothing when <paramref name="dx"/> is empty (nobody needs that input's gradient).
    /// </summary>
    /// <exception cref="ArgumentException">The producer's activation is not elementwise, or a span holds fewer than <paramref name="count"/> values.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dz, Span<T> dx, int count, Activation previousActivation, ReadOnlySpan<T> previousSaved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Activations.IsElementwise(previousActivation))
        {
            // Its Jacobian spans a row whose width this call does not know; GradientSum.Finish takes it.
            throw new ArgumentException($"Add's backward fuses elementwise producer activations only, not {previousActivation}; apply it with GradientSum.Finish.", nameof(previousActivation));
        }

        if (dx.IsEmpty)
        {
            return;
        }

        CheckLength(dz.Length, count, nameof(dz));
        CheckLength(dx.Length, count, nameof(dx));
        if (previousActivation != Activation.None)
        {
            CheckLength(previousSaved.Length, count, nameof(previousSaved));
        }

        Activations.BackwardInto(previousActivation, dz[..count], dx, previousSaved, 1, count);
    }

    internal static void CheckLength(int length, int count, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(count));
        if (length < count)
        {
            throw new ArgumentException($"{name} holds {length} values, fewer than the {count} the call covers.", name);
        }
    }
}
