using System;
using System.Globalization;
using System.Numerics;

namespace NetGen;

/// <summary>
/// Each sample's length from token ids padded at the end (<c>MaskPadding</c>): on the CPU every masked layer
/// finds the lengths again from its Embedding's ids; a device network checks the ids on the host before the
/// batch is staged, since its kernels, which find the lengths there, cannot throw.
/// </summary>
public abstract partial class RecurrentLayer
{
    /// <summary>
    /// Each sample's length in a batch of token ids <c>[batch, steps]</c> padded at the end with
    /// <paramref name="padding"/> (an Embedding's padding id): one past the last position holding another
    /// id, so padding before a real token still counts as a step. A sample of padding only has no length
    /// and throws, naming <paramref name="layer"/> and the sample. Nothing is allocated.
    /// </summary>
    /// <param name="layer">The recurrent layer's state_dict name, for the message.</param>
    /// <param name="tokens">The token ids, as floats.</param>
    /// <param name="padding">The padding id.</param>
    /// <param name="lengths">Receives one length per sample.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="steps">Token ids per sample.</param>
    public static void LengthsFromPadding<T>(string layer, ReadOnlySpan<T> tokens, T padding, Span<T> lengths, int batch, int steps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var b = 0; b < batch; b++)
        {
            lengths[b] = T.CreateTruncating(SampleLength(layer, tokens, padding, b, steps));
        }
    }

    /// <summary>
    /// Throws, as <see cref="LengthsFromPadding{T}"/> does, when a sample of <paramref name="tokens"/> (every sample
    /// of a batch, <paramref name="steps"/> ids each) holds only the padding id. Nothing is allocated.
    /// </summary>
    /// <param name="layer">The recurrent layer's state_dict name, for the message.</param>
    /// <param name="tokens">The token ids of the whole batch, as floats.</param>
    /// <param name="padding">The padding id.</param>
    /// <param name="steps">Token ids per sample.</param>
    public static void CheckPadding<T>(string layer, ReadOnlySpan<T> tokens, T padding, int steps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var b = 0; b < tokens.Length / steps; b++)
        {
            SampleLength(layer, tokens, padding, b, steps);
        }
    }

    private static int SampleLength<T>(string layer, ReadOnlySpan<T> tokens, T padding, int b, int steps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sample = tokens.Slice(b * steps, steps);
        var last = sample.Length - 1;
        while (last >= 0 && sample[last] == padding)
        {
            last--;
        }

        return last >= 0
            ? last + 1
            : throw new ArgumentException($"Layer '{layer}': sample {b} holds only the padding id {padding.ToString(null, CultureInfo.InvariantCulture)}, so it has no step to read; every sequence needs at least one token.", nameof(tokens));
    }

    // Lengths given to a masked layer (a recurrent time loop, GlobalAveragePool1D): a wrong one would read another sample's steps or silently drop real ones: refuse it, naming the sample.
    internal static void CheckLengths<T>(ReadOnlySpan<T> lengths, int batch, int steps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (lengths.IsEmpty)
        {
            return;
        }

        if (lengths.Length < batch)
        {
            throw new ArgumentException($"lengths has {lengths.Length} values for a batch of {batch} sequences; give one length per sample.", nameof(lengths));
        }

        for (var b = 0; b < batch; b++)
        {
            var length = lengths[b];
            if (!T.IsInteger(length) || length < T.One || length > T.CreateTruncating(steps))
            {
                throw new ArgumentException($"Sample {b} has length {length.ToString(null, CultureInfo.InvariantCulture)}: a length must be a whole number of steps from 1 to {steps}.", nameof(lengths));
            }
        }
    }

    internal static int Length<T>(ReadOnlySpan<T> lengths, int b, int steps)
        where T : unmanaged, IFloatingPointIeee754<T> => lengths.IsEmpty ? steps : int.CreateTruncating(lengths[b]);
}
