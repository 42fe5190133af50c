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

    /// <summary><c>y[b, f] = Σ_t x[b, t, f] / steps</c>, step by step so each pass reads one contiguous row.</summary>
    /// <exception cref="ArgumentException">A span is shorter than the batch needs.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, int steps, int features)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, y.Length, batch, steps, features);
        var scale = T.One / T.CreateChecked(steps);
        for (var b = 0; b < batch; b++)
        {
            var mean = y.Slice(b * features, features);
            mean.Clear();
            for (var t = 0; t < steps; t++)
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
    /// <c>dx[b, t, f] = dy[b, f] / steps ⊙ act′(saved)</c>, the previous layer's activation derivative applied
    /// per step (a Softmax over each step's features takes its Jacobian row by row).
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the batch needs.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, int steps, int features, Activation previousActivation, ReadOnlySpan<T> previousSaved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dx.IsEmpty)
        {
            return; // nobody needs the input gradient (the layers before are frozen)
        }

        Check(dx.Length, dy.Length, batch, steps, features);
        var scale = T.One / T.CreateChecked(steps);
        for (var b = 0; b < batch; b++)
        {
            var gradient = dy.Slice(b * features, features);
            for (var t = 0; t < steps; t++)
            {
                var row = dx.Slice(((b * steps) + t) * features, features);
                for (var f = 0; f < features; f++)
                {
                    row[f] = gradient[f] * scale;
                }
            }
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
