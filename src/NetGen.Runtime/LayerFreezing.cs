using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// The bookkeeping behind <see cref="INetwork.SetFrozen"/> that generated networks share: which
/// parameter ranges optimizers may update, and where backward can stop.
/// </summary>
public static class LayerFreezing
{
    /// <summary>
    /// The parameter ranges of layers that are not frozen, in order, adjacent ranges merged.
    /// <paramref name="layers"/> holds each layer's parameter range (length 0 for layers without).
    /// </summary>
    public static ParameterRange[] TrainableRanges(ReadOnlySpan<bool> frozen, ReadOnlySpan<ParameterRange> layers)
    {
        var ranges = new List<ParameterRange>();
        for (var i = 0; i < layers.Length; i++)
        {
            if (frozen[i] || layers[i].Length == 0)
            {
                continue;
            }

            if (ranges.Count > 0 && ranges[^1].Offset + ranges[^1].Length == layers[i].Offset)
            {
                ranges[^1] = ranges[^1] with { Length = ranges[^1].Length + layers[i].Length };
            }
            else
            {
                ranges.Add(layers[i]);
            }
        }

        return ranges.ToArray();
    }

    /// <summary>The index of the first layer with parameters that is not frozen, or the layer count when there is none.</summary>
    public static int FirstTrainable(ReadOnlySpan<bool> frozen, ReadOnlySpan<ParameterRange> layers)
    {
        for (var i = 0; i < layers.Length; i++)
        {
            if (!frozen[i] && layers[i].Length > 0)
            {
                return i;
            }
        }

        return layers.Length;
    }

    /// <summary>
    /// The index of the layer named <paramref name="layer"/> (its state_dict prefix), checking it
    /// exists and has parameters; the exception names the network and the layers it has.
    /// </summary>
    public static int IndexOf(string network, IReadOnlyList<string> names, ReadOnlySpan<ParameterRange> layers, string layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == layer)
            {
                return layers[i].Length > 0
                    ? i
                    : throw new ArgumentException($"Layer '{layer}' of {network} has no parameters to freeze.", nameof(layer));
            }
        }

        throw new ArgumentException($"{network} has no layer '{layer}'; its layers are {string.Join(", ", names)}.", nameof(layer));
    }
}
