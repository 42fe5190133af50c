using System;
using System.Linq;

namespace NetGen.Data;

/// <summary>
/// Serves an <see cref="IDataset"/> in batches: a seeded order per epoch, background workers that
/// prepare a bounded number of batches ahead into recycled buffers, and augmentation seeds that
/// depend only on (seed, epoch, sample index), so results do not depend on thread timing.
/// One epoch is served at a time: starting an epoch stops the one before.
/// </summary>
/// <example>
/// <code>
/// var loader = new DataLoader(dataset, new DataLoaderOptions { BatchSize = 64, Seed = 1 });
/// foreach (var batch in loader.Epoch(0)) { Train(batch.Inputs, batch.Labels); }
/// </code>
/// </example>
public sealed class DataLoader
{
    private readonly BatchBuffer[] _ring;
    private readonly int[] _order;
    private DataLoaderEpoch? _active;

    /// <summary>Creates a loader over <paramref name="dataset"/>; batch buffers are allocated here, once.</summary>
    public DataLoader(IDataset dataset, DataLoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        if (options.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"DataLoaderOptions.BatchSize is {options.BatchSize}; it must be at least 1.");
        }

        if (options.PrefetchBatches < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"DataLoaderOptions.PrefetchBatches is {options.PrefetchBatches}; it must be at least 1.");
        }

        if (options.Workers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"DataLoaderOptions.Workers is {options.Workers}; it must be at least 1.");
        }

        if (options.ShardCount < 1 || options.ShardCount > options.BatchSize || options.ShardIndex < 0 || options.ShardIndex >= options.ShardCount)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"DataLoaderOptions.ShardIndex is {options.ShardIndex} and ShardCount {options.ShardCount}; they need 0 <= ShardIndex < ShardCount <= BatchSize ({options.BatchSize}), so every shard of a full batch holds a sample.");
        }

        if (options.LastBatch == LastBatchPolicy.Drop && dataset.Count < options.BatchSize)
        {
            throw new ArgumentException($"The dataset holds {dataset.Count} samples, fewer than one batch of {options.BatchSize}, so dropping the partial batch would leave epochs empty.", nameof(options));
        }

        Dataset = dataset;
        Options = options;
        SampleSize = dataset.SampleShape.Aggregate(1, (product, dimension) => checked(product * dimension));
        TargetSize = dataset is ITargetDataset targets ? targets.TargetSize : 0;
        BatchCount = options.LastBatch == LastBatchPolicy.Keep
            ? (dataset.Count + options.BatchSize - 1) / options.BatchSize
            : dataset.Count / options.BatchSize;
        _order = new int[dataset.Count];
        _ring = new BatchBuffer[options.PrefetchBatches + 1];
        for (var i = 0; i < _ring.Length; i++)
        {
            _ring[i] = new BatchBuffer(ShardRows(options.BatchSize).Count, SampleSize, TargetSize);
        }
    }

    /// <summary>The dataset served.</summary>
    public IDataset Dataset { get; }

    /// <summary>The options this loader was made with.</summary>
    public DataLoaderOptions Options { get; }

    /// <summary>Floats per sample: the product of the dataset's sample shape.</summary>
    public int SampleSize { get; }

    /// <summary>Floats per sample target for an <see cref="ITargetDataset"/>; 0 for a labelled dataset.</summary>
    public int TargetSize { get; }

    /// <summary>Batches per epoch, after the last-batch policy.</summary>
    public int BatchCount { get; }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>, to enumerate once (dispose it, as
    /// <c>foreach</c> does, to stop its workers early). Workers start on the first MoveNext.
    /// </summary>
    public DataLoaderEpoch Epoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return new DataLoaderEpoch(this, epoch);
    }

    /// <summary>The size of global batch <paramref name="batchNumber"/> before sharding: the batch size, less for a short last batch.</summary>
    public int GlobalBatchSize(int batchNumber) => Math.Min(Options.BatchSize, Dataset.Count - (batchNumber * Options.BatchSize));

    /// <summary>
    /// The rows of a batch of <paramref name="batchSize"/> samples that this loader's shard serves:
    /// the <see cref="DataLoaderOptions.ShardIndex"/>-th of <see cref="DataLoaderOptions.ShardCount"/>
    /// consecutive runs, whose sizes differ by at most one (empty only for a short last batch).
    /// </summary>
    public (int First, int Count) ShardRows(int batchSize)
    {
        var (index, count) = (Options.ShardIndex, Options.ShardCount);
        var first = (int)((long)batchSize * index / count);
        return (first, (int)((long)batchSize * (index + 1) / count) - first);
    }

    /// <summary>
    /// The augmentation seed of sample <paramref name="sampleIndex"/> in epoch <paramref name="epoch"/>:
    /// a hash of the three, so it is the same whichever worker reads the sample and whenever.
    /// </summary>
    public static ulong AugmentationSeed(ulong seed, int epoch, int sampleIndex) =>
        Mix(Mix(Mix(seed) ^ (uint)epoch) ^ ((ulong)(uint)sampleIndex << 32));

    /// <summary>Makes <paramref name="epoch"/> the one served, stopping the previous one, and returns its sample order and buffers.</summary>
    internal (int[] Order, BatchBuffer[] Ring) Activate(DataLoaderEpoch epoch)
    {
        _active?.Dispose();
        _active = epoch;
        for (var i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        if (Options.Shuffle)
        {
            // The shuffle stream is keyed apart from the augmentation seeds so the two never correlate.
            new SeededRandom(Mix(Mix(Options.Seed ^ 0x5348554646_4C45UL) ^ (uint)epoch.Index)).Shuffle(_order.AsSpan());
        }

        return (_order, _ring);
    }

    /// <summary>Forgets <paramref name="epoch"/> if it is the one served.</summary>
    internal void Deactivate(DataLoaderEpoch epoch)
    {
        if (ReferenceEquals(_active, epoch))
        {
            _active = null;
        }
    }

    /// <summary>The SplitMix64 finalizer: a bijective 64-bit mix with full avalanche.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
