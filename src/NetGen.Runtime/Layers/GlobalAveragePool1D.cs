using System;
using System.Collections.Generic;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// The mean over time of each feature of a sequence: <c>[B, steps, features] → [B, features]</c>, Keras'
/// <c>GlobalAveragePooling1D</c> (PyTorch: <c>x.mean(dim=1)</c>), a classification head over every step of
/// a recurrent layer. It has no parameters; the static <see cref="Forward{T}"/> / <see cref="Backward{T}"/>
/// pair is the numerics the generated code calls.
/// </summary>
public sealed class GlobalAveragePool1D : Layer
{
    /// <summary>Creates the view of a pooling-over-time layer named <paramref name="name"/>.</summary>
    public GlobalAveragePool1D(string name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorView> Parameters => Array.Empty<TensorView>();

    /// <summary>
    /// <c>y[b, f] = Σ_{t &lt; n} x[b, t, f] / n</c>, where <c>n</c> is the sample's length from <paramref name="lengths"/>
    /// (<c>MaskPadding</c>: the padded steps after it count for nothing, Keras' masked GlobalAveragePooling1D), or
    /// every step when <paramref name="lengths"/> is empty; step by step so each pass reads one contiguous row.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the batch needs, or a length is not a whole number from 1 to <paramref name="steps"/>.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, int steps, int features, ReadOnlySpan<T> lengths = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, y.Length, batch, steps, features);
        RecurrentLayer.CheckLengths(lengths, batch, steps);
        for (var b = 0; b < batch; b++)
        {
            var length = RecurrentLayer.Length(lengths, b, steps);
            var scale = T.One / T.CreateChecked(length);
            var mean = y.Slice(b * features, features);
            mean.Clear();
            for (var t = 0; t < length; t++)
            {
                var row = x.Slice(((b * steps) + t) * features, features);
                for (var f = 0; f < features; f++)
                {
                    mean[f] += row[f];
                }
            }

            for (var f = 0; f < features; f++)
            {
                mean[f] *= scale;
            }
        }
    }

    /// <summary>
    /// <c>dx[b, t, f] = dy[b, f] / n ⊙ act′(saved)</c> for the sample's steps <c>t &lt; n</c> (its length from
    /// <paramref name="lengths"/>, or every step when that is empty) and zero at its padded steps; the previous
    /// layer's activation derivative applied per step (a Softmax over each step's features takes its Jacobian row by row).
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the batch needs, or a length is not a whole number from 1 to <paramref name="steps"/>.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, int steps, int features, Activation previousActivation, ReadOnlySpan<T> previousSaved, ReadOnlySpan<T> lengths = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dx.IsEmpty)
        {
            return; // nobody needs the input gradient (the layers before are frozen)
        }

        Check(dx.Length, dy.Length, batch, steps, features);
        RecurrentLayer.CheckLengths(lengths, batch, steps);
        for (var b = 0; b < batch; b++)
        {
            var length = RecurrentLayer.Length(lengths, b, steps);
            var scale = T.One / T.CreateChecked(length);
            var gradient = dy.Slice(b * features, features);
            for (var t = 0; t < length; t++)
            {
                var row = dx.Slice(((b * steps) + t) * features, features);
                for (var f = 0; f < features; f++)
                {
                    row[f] = gradient[f] * scale;
                }
            }

            dx.Slice(((b * steps) + length) * features, (steps - length) * features).Clear();
        }

        Activations.Backward(previousActivation, dx, previousSaved, batch * steps, features);
    }

    private static void Check(int sequenceLength, int pooledLength, int batch, int steps, int features)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1, nameof(steps));
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1, nameof(features));
        WindowGeometry.CheckLength(sequenceLength, batch, steps * features, "sequence");
        WindowGeometry.CheckLength(pooledLength, batch, features, "pooled");
    }
}
