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
    /// The parameter ranges of layers that are not frozen, in offset order, adjacent ranges merged.
    /// <paramref name="layers"/> holds each layer's parameter range (length 0 for layers without); a
    /// range several layers list (a layer applied to several inputs, <c>[Reuse]</c>) is listed once, so
    /// an optimizer steps each parameter once.
    /// </summary>
    public static ParameterRange[] TrainableRanges(ReadOnlySpan<bool> frozen, ReadOnlySpan<ParameterRange> layers)
    {
        var trainable = new List<ParameterRange>();
        for (var i = 0; i < layers.Length; i++)
        {
            if (!frozen[i] && layers[i].Length > 0 && !trainable.Contains(layers[i]))
            {
                trainable.Add(layers[i]);
            }
        }

        trainable.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        var ranges = new List<ParameterRange>();
        foreach (var range in trainable)
        {
            if (ranges.Count > 0 && ranges[^1].Offset + ranges[^1].Length == range.Offset)
            {
                ranges[^1] = ranges[^1] with { Length = ranges[^1].Length + range.Length };
            }
            else
            {
                ranges.Add(range);
            }
        }

        return ranges.ToArray();
    }

    /// <summary>
    /// Freezes or thaws the layer at <paramref name="index"/> and every layer listing the same parameter
    /// range (the uses of a layer's parameters, <c>[Reuse]</c>): one set of weights is frozen or not.
    /// </summary>
    public static void SetFrozen(Span<bool> frozen, ReadOnlySpan<ParameterRange> layers, int index, bool value)
    {
        for (var i = 0; i < layers.Length; i++)
        {
            if (i == index || (layers[i].Length > 0 && layers[i] == layers[index]))
            {
                frozen[i] = value;
            }
        }
    }

    /// <summary>
    /// Refuses to thaw a layer marked <c>[Frozen]</c> (its <paramref name="range"/> lies past the
    /// <paramref name="gradientCount"/> trainable parameters): it was compiled without gradients or optimizer
    /// state. Freezing at run time instead keeps both, so that a layer can be thawed later.
    /// </summary>
    public static void CheckCanThaw(string network, string layer, ParameterRange range, int gradientCount, bool frozen)
    {
        if (!frozen && range.Offset >= gradientCount)
        {
            throw new InvalidOperationException($"Layer '{layer}' of {network} is marked [Frozen], so it has no gradients or optimizer state and cannot be thawed; to fine-tune it later, remove [Frozen] and call SetFrozen(\"{layer}\", true) until then.");
        }
    }

    /// <summary>Clears the gradients of the layer at <paramref name="range"/>, which a <c>[Frozen]</c> layer (past the end of <paramref name="gradients"/>) does not have.</summary>
    public static void ClearGradients(Span<float> gradients, ParameterRange range)
    {
        if (range.Offset < gradients.Length)
        {
            gradients.Slice(range.Offset, range.Length).Clear();
        }
    }

    /// <summary>Whether the layer at <paramref name="index"/> lists a parameter range an earlier layer listed (a use of that layer's parameters).</summary>
    internal static bool RepeatsEarlierRange(ReadOnlySpan<ParameterRange> layers, int index)
    {
        for (var i = 0; i < index; i++)
        {
            if (layers[index].Length > 0 && layers[i] == layers[index])
            {
                return true;
            }
        }

        return false;
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
