using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Data;
using Xunit;

namespace NetGen.Runtime.Tests.Data;

/// <summary>Sharding by rank: the shards of each batch are disjoint and together make the unsharded batch.</summary>
public sealed class DataLoaderShardTests
{
    [Theory]
    [InlineData(2, 16, LastBatchPolicy.Keep)]
    [InlineData(3, 16, LastBatchPolicy.Keep)]
    [InlineData(3, 8, LastBatchPolicy.Drop)]
    public void Shards_cut_every_batch_of_the_unsharded_loader_into_runs_differing_by_at_most_one(int shards, int batchSize, LastBatchPolicy lastBatch)
    {
        var dataset = new SyntheticDataset(count: 50);
        var options = new DataLoaderOptions { BatchSize = batchSize, Seed = 9, LastBatch = lastBatch };
        var whole = Batches(new DataLoader(dataset, options), epoch: 1);
        var parts = Enumerable.Range(0, shards).Select(shard => Batches(new DataLoader(dataset, options with { ShardIndex = shard, ShardCount = shards }), epoch: 1)).ToArray();

        Assert.All(parts, part => Assert.Equal(whole.Count, part.Count));
        for (var b = 0; b < whole.Count; b++)
        {
            Assert.Equal(whole[b], parts.SelectMany(part => part[b]).ToArray());
            var sizes = parts.Select(part => part[b].Length).ToArray();
            Assert.True(sizes.Max() - sizes.Min() <= 1, $"batch {b}: shard sizes {string.Join(", ", sizes)}");
        }
    }

    [Fact]
    public void A_short_last_batch_leaves_a_shard_empty_rather_than_repeating_a_sample()
    {
        // 50 = 3 × 16 + 2: three shards of the last batch hold 0, 1 and 1 samples.
        var dataset = new SyntheticDataset(count: 50);
        var sizes = Enumerable.Range(0, 3)
            .Select(shard => Batches(new DataLoader(dataset, new DataLoaderOptions { BatchSize = 16, ShardIndex = shard, ShardCount = 3 }), epoch: 0)[^1].Length)
            .ToArray();

        Assert.Equal([0, 1, 1], sizes);
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(-1, 2)]
    [InlineData(0, 0)]
    [InlineData(0, 5)]
    public void A_shard_outside_the_batch_is_an_error_naming_the_options(int index, int count)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(new SyntheticDataset(count: 10), new DataLoaderOptions { BatchSize = 4, ShardIndex = index, ShardCount = count }));

        Assert.Contains($"DataLoaderOptions.ShardIndex is {index} and ShardCount {count}; they need 0 <= ShardIndex < ShardCount <= BatchSize (4)", error.Message, StringComparison.Ordinal);
    }

    private static List<int[]> Batches(DataLoader loader, int epoch) =>
        loader.Epoch(epoch).Select(batch => batch.SampleIndices.ToArray()).ToList();
}
