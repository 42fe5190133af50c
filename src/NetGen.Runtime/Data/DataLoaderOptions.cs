using System;

namespace NetGen.Data;

/// <summary>How a <see cref="DataLoader"/> batches, orders and prefetches samples.</summary>
public sealed record DataLoaderOptions
{
    /// <summary>Samples per batch.</summary>
    public required int BatchSize { get; init; }

    /// <summary>Seeds the per-epoch shuffle and the per-sample augmentation seeds.</summary>
    public ulong Seed { get; init; }

    /// <summary>Whether each epoch visits the samples in a fresh seeded order (otherwise in index order).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>What to do with a partial last batch.</summary>
    public LastBatchPolicy LastBatch { get; init; } = LastBatchPolicy.Keep;

    /// <summary>
    /// Which part of every batch this loader serves, from 0 to <see cref="ShardCount"/> − 1: in a
    /// data-parallel run, the process's rank. All shards walk the same seeded order, so together
    /// they serve exactly the batches of one unsharded loader, each of its batches cut into
    /// <see cref="ShardCount"/> consecutive runs of samples whose sizes differ by at most one.
    /// </summary>
    public int ShardIndex { get; init; }

    /// <summary>How many shards each batch is cut into (the processes training together); 1 serves whole batches.</summary>
    public int ShardCount { get; init; } = 1;

    /// <summary>
    /// How many batches the workers may prepare ahead of the one the consumer holds. The loader
    /// owns exactly this many plus one batch buffers, which bounds its memory.
    /// </summary>
    public int PrefetchBatches { get; init; } = 2;

    /// <summary>
    /// Worker threads reading samples. Each fills whole batches, so at most
    /// <see cref="PrefetchBatches"/> of them are busy at once.
    /// </summary>
    public int Workers { get; init; } = Math.Clamp(Environment.ProcessorCount / 2, 1, 4);
}
