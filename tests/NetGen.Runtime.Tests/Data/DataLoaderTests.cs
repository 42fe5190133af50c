using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using NetGen.Data;
using Xunit;

namespace NetGen.Runtime.Tests.Data;

public sealed class DataLoaderTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 5)]
    public void Epoch_ServesEveryIndexExactlyOnce_WithItsLabelAndInput(int workers, int prefetch)
    {
        var dataset = new SyntheticDataset(count: 103);
        var loader = new DataLoader(dataset, new DataLoaderOptions { BatchSize = 10, Seed = 42, Workers = workers, PrefetchBatches = prefetch });

        var seen = new List<int>();
        foreach (var batch in loader.Epoch(0))
        {
            for (var i = 0; i < batch.Size; i++)
            {
                var index = batch.SampleIndices[i];
                seen.Add(index);
                Assert.Equal(index, batch.Inputs[i * 4]);
                Assert.Equal(index % 10, batch.Labels[i]);
            }
        }

        Assert.Equal(Enumerable.Range(0, 103), seen.Order());
        Assert.NotEqual(Enumerable.Range(0, 103), seen);
    }

    [Fact]
    public void Epoch_SameSeedAndEpoch_SameOrder_OtherSeedOrEpoch_OtherOrder()
    {
        var dataset = new SyntheticDataset(count: 50);
        DataLoader Loader(ulong seed, int workers) => new(dataset, new DataLoaderOptions { BatchSize = 8, Seed = seed, Workers = workers });

        var order = Order(Loader(7, 1), 3);

        Assert.Equal(order, Order(Loader(7, 3), 3));
        Assert.NotEqual(order, Order(Loader(8, 1), 3));
        Assert.NotEqual(order, Order(Loader(7, 1), 4));
    }

    [Fact]
    public void Epoch_WithoutShuffle_ServesIndexOrder()
    {
        var loader = new DataLoader(new SyntheticDataset(count: 20), new DataLoaderOptions { BatchSize = 6, Shuffle = false, Workers = 2 });

        Assert.Equal(Enumerable.Range(0, 20), Order(loader, 5));
    }

    [Theory]
    [InlineData(LastBatchPolicy.Keep, new[] { 4, 4, 2 })]
    [InlineData(LastBatchPolicy.Drop, new[] { 4, 4 })]
    public void LastBatchPolicy_DecidesThePartialBatch(LastBatchPolicy policy, int[] sizes)
    {
        var loader = new DataLoader(new SyntheticDataset(count: 10), new DataLoaderOptions { BatchSize = 4, LastBatch = policy });

        var served = new List<int>();
        foreach (var batch in loader.Epoch(0))
        {
            Assert.Equal(served.Count, batch.Number);
            Assert.Equal(batch.Size * 4, batch.Inputs.Length);
            Assert.Equal(batch.Size, batch.Labels.Length);
            served.Add(batch.Size);
        }

        Assert.Equal(sizes, served);
        Assert.Equal(sizes.Length, loader.BatchCount);
    }

    [Fact]
    public void Drop_WithFewerSamplesThanOneBatch_IsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DataLoader(new SyntheticDataset(count: 3), new DataLoaderOptions { BatchSize = 4, LastBatch = LastBatchPolicy.Drop }));

        Assert.Contains("3 samples, fewer than one batch of 4", ex.Message);
    }

    [Theory]
    [InlineData(0, 1, 1, "BatchSize")]
    [InlineData(1, 0, 1, "PrefetchBatches")]
    [InlineData(1, 1, 0, "Workers")]
    public void InvalidOptions_AreNamed(int batchSize, int prefetch, int workers, string option)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(new SyntheticDataset(count: 3), new DataLoaderOptions { BatchSize = batchSize, PrefetchBatches = prefetch, Workers = workers }));

        Assert.Contains($"DataLoaderOptions.{option}", ex.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Prefetch_RunsAheadUpToTheBoundAndNoFurther(int prefetch)
    {
        const int batchSize = 5;
        var dataset = new SyntheticDataset(count: 100);
        var loader = new DataLoader(dataset, new DataLoaderOptions { BatchSize = batchSize, Shuffle = false, Workers = 4, PrefetchBatches = prefetch });

        foreach (var batch in loader.Epoch(0))
        {
            // Give the workers time to fill every free buffer, then check how far ahead they got.
            var bound = Math.Min(batch.Number + prefetch, loader.BatchCount - 1);
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (dataset.HighestRead / batchSize < bound && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(1);
            }

            Thread.Sleep(2);
            Assert.Equal(bound, dataset.HighestRead / batchSize);
        }
    }

    [Fact]
    public void AugmentationSeeds_DependOnSeedEpochAndIndexOnly_NotOnWorkerCount()
    {
        var dataset = new SyntheticDataset(count: 64, sampleSize: 6);
        float[][] Inputs(int workers, int prefetch)
        {
            var loader = new DataLoader(dataset, new DataLoaderOptions { BatchSize = 8, Seed = 5, Workers = workers, PrefetchBatches = prefetch });
            var batches = new List<float[]>();
            foreach (var batch in loader.Epoch(2))
            {
                batches.Add(batch.Inputs.ToArray());
            }

            return [.. batches];
        }

        var single = Inputs(1, 1);

        Assert.Equal(single, Inputs(4, 4));
        var expected = new float[6];
        var first = single[0];
        SyntheticDataset.Fill((int)first[0], expected, DataLoader.AugmentationSeed(5, 2, (int)first[0]));
        Assert.Equal(expected, first[..6]);
        Assert.NotEqual(DataLoader.AugmentationSeed(5, 2, 0), DataLoader.AugmentationSeed(5, 3, 0));
        Assert.NotEqual(DataLoader.AugmentationSeed(5, 2, 0), DataLoader.AugmentationSeed(6, 2, 0));
        Assert.NotEqual(DataLoader.AugmentationSeed(5, 2, 0), DataLoader.AugmentationSeed(5, 2, 1));
    }

    [Fact]
    public void DatasetException_OnAWorker_IsRethrownOnTheConsumerWithTheOriginalInside()
    {
        var dataset = new SyntheticDataset(count: 40) { FailAt = 7 };
        var loader = new DataLoader(dataset, new DataLoaderOptions { BatchSize = 4, Workers = 3, Shuffle = false });

        var ex = Assert.Throws<DataLoaderException>(() => Order(loader, 0));

        Assert.Same(dataset.Failure, ex.InnerException);
        Assert.Equal(7, ex.SampleIndex);
        Assert.Contains("SyntheticDataset failed reading sample 7 (batch 1 of epoch 0)", ex.Message);
        Assert.Contains("sample 7 is corrupt", ex.Message);
    }

    [Fact]
    public void LabelOutsideClasses_IsReportedWithTheSample()
    {
        var loader = new DataLoader(new SyntheticDataset(count: 4) { LabelOverride = 10 }, new DataLoaderOptions { BatchSize = 2 });

        var ex = Assert.Throws<DataLoaderException>(() => Order(loader, 0));

        Assert.IsType<InvalidDataException>(ex.InnerException);
        Assert.Contains("label 10, outside [0, 10)", ex.Message);
    }

    [Fact]
    public void AbandoningAnEpoch_StopsItsWorkers_AndTheNextEpochStillWorks()
    {
        var dataset = new SyntheticDataset(count: 1000);
        var loader = new DataLoader(dataset, new DataLoaderOptions { BatchSize = 10, Workers = 2, PrefetchBatches = 2 });

        foreach (var batch in loader.Epoch(0))
        {
            break;
        }

        var readsAfterDispose = dataset.Reads;
        Thread.Sleep(20);
        Assert.Equal(readsAfterDispose, dataset.Reads);
        Assert.True(readsAfterDispose <= 40, $"{readsAfterDispose} samples read for 1 batch consumed with 2 prefetched");
        Assert.Equal(1000, Order(loader, 1).Count);
    }

    [Fact]
    public void StartingANewEpoch_StopsTheOldOne_WhichThenRefusesToContinue()
    {
        var loader = new DataLoader(new SyntheticDataset(count: 100), new DataLoaderOptions { BatchSize = 10 });
        using var old = loader.Epoch(0).GetEnumerator();
        Assert.True(old.MoveNext());

        Assert.Equal(100, Order(loader, 1).Count);
        Assert.Throws<ObjectDisposedException>(() => old.MoveNext());
    }

    [Fact]
    public void AnEpoch_CanBeEnumeratedOnlyOnce()
    {
        var loader = new DataLoader(new SyntheticDataset(count: 10), new DataLoaderOptions { BatchSize = 5 });
        var epoch = loader.Epoch(0);
        foreach (var _ in epoch)
        {
        }

        var ex = Assert.Throws<InvalidOperationException>(() => epoch.GetEnumerator());
        Assert.Contains("DataLoader.Epoch(0) again", ex.Message);
    }

    [Fact]
    public void SteadyState_AllocatesNothingPerBatch_OnWorkerOrConsumer()
    {
        const int batchSize = 32, sampleSize = 64, batches = 300;
        var dataset = new AllocationProbeDataset(batchSize * batches, sampleSize) { ProbeFrom = 5 * batchSize };
        var loader = new DataLoader(dataset, new DataLoaderOptions { BatchSize = batchSize, Shuffle = false, Workers = 1, PrefetchBatches = 2 });

        long consumerAtProbe = 0;
        long consumerAllocated = 0;
        double checksum = 0;
        foreach (var batch in loader.Epoch(0))
        {
            if (batch.Number == 5)
            {
                consumerAtProbe = GC.GetAllocatedBytesForCurrentThread();
            }

            checksum += batch.Inputs[0];
            consumerAllocated = GC.GetAllocatedBytesForCurrentThread() - consumerAtProbe;
        }

        // One batch's inputs alone are 8 KB; a per-batch array would show up as megabytes here.
        Assert.True(dataset.AllocatedSinceProbe < 1024, $"the worker allocated {dataset.AllocatedSinceProbe} bytes over {batches - 5} batches");
        Assert.True(consumerAllocated < 1024, $"the consumer allocated {consumerAllocated} bytes over {batches - 5} batches");
        Assert.Equal(batchSize * (double)batches * (batches - 1) / 2, checksum);
    }

    private static List<int> Order(DataLoader loader, int epoch)
    {
        var order = new List<int>();
        foreach (var batch in loader.Epoch(epoch))
        {
            order.AddRange(batch.SampleIndices.ToArray());
        }

        return order;
    }
}
