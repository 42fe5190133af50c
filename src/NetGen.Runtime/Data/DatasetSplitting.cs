using System;

namespace NetGen.Data;

/// <summary>Splitting a dataset in two, e.g. to hold out validation data (Keras' <c>validation_split</c>).</summary>
public static class DatasetSplitting
{
    /// <summary>
    /// Splits <paramref name="dataset"/> into two disjoint subsets that together hold every sample:
    /// the first gets <c>round(fraction × Count)</c> samples, the second the rest. Samples are
    /// assigned after a shuffle seeded by <paramref name="seed"/>, so the split is the same on every
    /// run and does not keep a class-sorted dataset (an image folder) sorted into one side.
    /// </summary>
    /// <example><code>var (train, validation) = dataset.Split(0.9, seed: 1);</code></example>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not strictly between 0 and 1, or leaves a side empty.</exception>
    public static (DatasetSubset First, DatasetSubset Second) Split(this IDataset dataset, double fraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The fraction of samples in the first part must lie strictly between 0 and 1 (e.g. 0.9 for 90 % training, 10 % validation).");
        }

        var first = (int)Math.Round(fraction * dataset.Count, MidpointRounding.AwayFromZero);
        if (first == 0 || first == dataset.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"Splitting the {dataset.Count} samples of {dataset.GetType().Name} at {fraction} leaves {(first == 0 ? "the first" : "the second")} part empty.");
        }

        var order = new int[dataset.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        new SeededRandom(seed).Shuffle(order.AsSpan());
        return (new DatasetSubset(dataset, order.AsSpan(0, first)), new DatasetSubset(dataset, order.AsSpan(first)));
    }
}
