using System;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Networks;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>TrainerOptions.CacheFrozenFeatures: the frozen prefix runs once per sample, and training gives what it gives without the cache.</summary>
public sealed class FrozenFeatureCacheTests
{
    private static readonly DataLoaderOptions Loading = new() { BatchSize = 8, Seed = 11 };

    [Fact]
    public void CachedTrainingEndsWithTheSameParametersAsUncached()
    {
        var (uncached, uncachedHistory) = Train(cache: false);
        var (cached, cachedHistory) = Train(cache: true);

        // The head's dropout draws from the step count, which the cached steps advance alike, and the
        // features are the prefix's own outputs, so every step sees the same numbers: equal to the bit.
        Assert.Equal(uncached.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits), cached.Parameters.ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(uncachedHistory.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss, e.ValidationAccuracy)), cachedHistory.Epochs.Select(e => (e.TrainLoss, e.ValidationLoss, e.ValidationAccuracy)));
        Assert.Equal(uncached.TrainingSteps, cached.TrainingSteps);
    }

    [Fact]
    public void TheCacheStatesItsMemory()
    {
        var output = new StringWriter();
        var model = new FrozenConvBackbone();
        Trainer.Fit(model, new Adam(model, 1e-3f), new DataLoader(Blobs(40, 1), Loading), Blobs(20, 2), new TrainerOptions { Epochs = 1, CacheFrozenFeatures = true, Output = output, Progress = ProgressMode.EpochsOnly });

        // Conv2 makes 16 × 3 × 3 = 144 features per sample.
        Assert.Contains("Caching the frozen prefix's features of 60 samples (40 training, 20 validation) × 144 floats: 0.0 MB.", output.ToString());
    }

    [Fact]
    public void AStepOnFeaturesAllocatesNothing()
    {
        var model = new FrozenConvBackbone();
        var features = new float[8 * model.FrozenFeatureSize];
        var labels = new int[8];
        var outputs = new float[8 * 3];
        model.TrainStepFromFeatures(features, labels);
        model.EvaluateFromFeatures(features, labels, outputs);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < 10; step++)
        {
            model.TrainStepFromFeatures(features, labels);
            model.EvaluateFromFeatures(features, labels, outputs);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void ANetworkWithoutAFrozenPrefixIsRefusedNamingItsFirstTrainableLayer()
    {
        var model = new TrainableBackboneMlp();

        var refused = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, new Adam(model, 1e-3f), new DataLoader(new BlobDataset(16, 3, 6, seed: 1), Loading), null, new TrainerOptions { Epochs = 1, CacheFrozenFeatures = true, Output = TextWriter.Null }));

        Assert.Equal("TrainerOptions.CacheFrozenFeatures needs the layers before the head to be [Frozen], but TrainableBackboneMlp's first layer with parameters, 'hidden', is trainable. (Parameter 'model')", refused.Message);
    }

    [Fact]
    public void AnAugmentingDatasetIsRefused()
    {
        var model = new FrozenConvBackbone();
        var augmenting = new DatasetSubset(new AugmentingBlobs(Blobs(16, 1)), Enumerable.Range(0, 16).ToArray());

        var refused = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, new Adam(model, 1e-3f), new DataLoader(augmenting, Loading), null, new TrainerOptions { Epochs = 1, CacheFrozenFeatures = true, Output = TextWriter.Null }));

        Assert.Equal("TrainerOptions.CacheFrozenFeatures computes each sample's features once, but DatasetSubset (train) augments at random, so its samples change every epoch; turn the augmentation or the cache off. (Parameter 'train')", refused.Message);
    }

    private static (FrozenConvBackbone Model, History History) Train(bool cache)
    {
        var model = new FrozenConvBackbone();
        var history = Trainer.Fit(model, new Adam(model, 1e-2f), new DataLoader(Blobs(60, 1), Loading), Blobs(20, 2), new TrainerOptions { Epochs = 3, CacheFrozenFeatures = cache, Output = TextWriter.Null, ValidationBatchSize = 16 });
        return (model, history);
    }

    private static BlobDataset Blobs(int count, ulong seed) => new(count, classes: 3, features: 144, seed);

    /// <summary>A dataset that says it augments (its reads are in fact the same every time; only the claim matters here).</summary>
    private sealed class AugmentingBlobs(IDataset source) : IDataset
    {
        public int Count => source.Count;

        public System.Collections.Generic.IReadOnlyList<int> SampleShape => [1, 12, 12];

        public int ClassCount => source.ClassCount;

        public bool Augments => true;

        public int Read(int index, Span<float> input, ulong augmentationSeed) => source.Read(index, input, augmentationSeed);
    }
}
