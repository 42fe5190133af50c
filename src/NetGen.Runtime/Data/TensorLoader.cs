using System;

namespace NetGen.Data;

/// <summary>
/// The batches of a <see cref="TensorDataset"/> for <see cref="Training.Trainer"/>: every input and target
/// shuffled together by the same permutation, a fresh one per epoch from <see cref="Seed"/> and the epoch's
/// number (so a resumed run sees the same batches), the last batch kept short.
/// </summary>
public sealed class TensorLoader
{
    private readonly int[] _order;

    /// <summary>Batches of <paramref name="batchSize"/> samples of <paramref name="dataset"/>, shuffled each epoch unless <paramref name="shuffle"/> is false.</summary>
    public TensorLoader(TensorDataset dataset, int batchSize, bool shuffle = true, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        _order = new int[dataset.Count];
    }

    /// <summary>The samples.</summary>
    public TensorDataset Dataset { get; }

    /// <summary>Samples per batch; the last one may hold fewer.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch visits the samples in a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>With the epoch's number, fixes its order.</summary>
    public int Seed { get; }

    /// <summary>Batches per epoch.</summary>
    public int BatchCount => (Dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>The sample indices of epoch <paramref name="epoch"/> (counted from 0), in order; the loader reuses the buffer for the next epoch.</summary>
    public ReadOnlySpan<int> Order(int epoch)
    {
        for (var i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        if (Shuffle)
        {
            // Not HashCode.Combine: it is salted per process, and the order must repeat across runs.
            new Random(unchecked((Seed * 1_000_003) + epoch)).Shuffle(_order);
        }

        return _order;
    }

    /// <summary>The indices of batch <paramref name="batch"/> within <paramref name="order"/>.</summary>
    public ReadOnlySpan<int> BatchOf(ReadOnlySpan<int> order, int batch) =>
        order.Slice(batch * BatchSize, Math.Min(BatchSize, order.Length - (batch * BatchSize)));
}
