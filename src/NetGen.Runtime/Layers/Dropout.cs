using System;
using System.Collections.Generic;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// Inverted dropout, as PyTorch's <c>nn.Dropout</c>: in training <c>y = x ⊙ m</c> with
/// <c>m = 0</c> (probability <c>rate</c>) or <c>1 / (1 − rate)</c>; in inference <c>y = x</c>.
/// </summary>
/// <remarks>
/// The mask is stored as the multiplier itself (0 or the scale) in the activation buffer, so
/// backward is one multiply. Each value's keep decision is a hash of (stream seed, index): no
/// generator state, the same seed and step always give the same mask, and nothing is allocated.
/// </remarks>
public sealed class Dropout : Layer
{
    /// <summary>Creates the view of a dropout layer named <paramref name="name"/>.</summary>
    public Dropout(string name, double rate)
        : base(name) => Rate = rate;

    /// <summary>The probability of zeroing a value in training.</summary>
    public double Rate { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorView> Parameters => Array.Empty<TensorView>();

    /// <summary>The seed of one layer's mask in one training step: distinct for every (network seed, layer, step).</summary>
    public static ulong StreamSeed(int networkSeed, int layer, long step) =>
        Mix(Mix((ulong)(uint)networkSeed ^ ((ulong)(uint)layer << 32)) ^ (ulong)step);

    /// <summary>
    /// Training forward in one pass: writes the mask (0 or <c>1 / (1 − rate)</c>) and
    /// <c>y = x ⊙ mask</c>. <paramref name="stream"/> comes from <see cref="StreamSeed"/>.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, Span<T> mask, double rate, ulong stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must lie in [0, 1).");
        }

        // Keep a value when its 32 random bits reach rate · 2³², so P(drop) = rate up to 2⁻³².
        DropoutParts<T>.Forward(x, y, mask, (ulong)(rate * 4294967296.0), T.CreateChecked(1.0 / (1.0 - rate)), stream);
    }

    /// <summary>
    /// <see cref="Forward{T}"/> of the values <c>[start, end)</c>: each value's mask is a hash of its
    /// index alone, so any split of the range gives the same mask.
    /// </summary>
    internal static void ForwardRange<T>(ReadOnlySpan<T> x, Span<T> y, Span<T> mask, ulong threshold, T scale, ulong stream, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = start; i < end; i++)
        {
            var bits = Mix(stream + ((ulong)i * 0x9E3779B97F4A7C15UL)) >> 32;
            var keep = bits >= threshold ? scale : T.Zero;
            mask[i] = keep;
            y[i] = x[i] * keep;
        }
    }

    /// <summary>
    /// Backward in one pass: <c>dx = dy ⊙ mask ⊙ act′(saved)</c>, the producer's activation
    /// derivative fused (a row-wise producer, Softmax, takes its Jacobian after the multiply).
    /// Does nothing when <paramref name="dx"/> is empty (nobody needs the input's gradient).
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> mask, Span<T> dx, int rows, int width, Activation previousActivation, ReadOnlySpan<T> previousSaved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dx.IsEmpty)
        {
            return;
        }

        DropoutParts<T>.Backward(dy, mask, dx, rows * width, previousActivation, previousSaved);

        // A row-wise activation (Softmax) needs the whole row of dx, so its Jacobian comes after the parts.
        if (!Activations.IsElementwise(previousActivation))
        {
            Activations.Backward(previousActivation, dx, previousSaved, rows, width);
        }
    }

    /// <summary>
    /// <see cref="Backward{T}"/> of the values <c>[start, end)</c>: <c>dy ⊙ mask</c>, times an
    /// elementwise producer's derivative (None's is 1; a row-wise one is applied by the caller).
    /// </summary>
    internal static void BackwardRange<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> mask, Span<T> dx, Activation previousActivation, ReadOnlySpan<T> previousSaved, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (previousActivation == Activation.None || !Activations.IsElementwise(previousActivation))
        {
            for (var i = start; i < end; i++)
            {
                dx[i] = dy[i] * mask[i];
            }

            return;
        }

        for (var i = start; i < end; i++)
        {
            dx[i] = dy[i] * mask[i] * Activations.Derivative(previousActivation, previousSaved[i]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
