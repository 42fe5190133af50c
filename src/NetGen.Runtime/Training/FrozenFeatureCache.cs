using System;
using System.Linq;
using NetGen.Data;

namespace NetGen.Training;

/// <summary>
/// <see cref="TrainerOptions.CacheFrozenFeatures"/>: the frozen prefix's features of every training and
/// validation sample, computed once, a loader over them that batches and shuffles as the caller's loader
/// does, and the network seen as its head, so the ordinary epochs train the head on the features.
/// </summary>
internal sealed record FrozenFeatureCache(INetwork Head, DataLoader Train, IDataset? Validation)
{
    public static FrozenFeatureCache Compute(INetwork model, DataLoader train, IDataset? validation, TrainerOptions options)
    {
        var network = Check(model, train, validation, options);
        var features = network.FrozenFeatureSize;
        var samples = (long)train.Dataset.Count + (validation?.Count ?? 0);
        var output = options.Output ?? Console.Out;
        output.WriteLine($"Caching the frozen prefix's features of {samples:N0} samples ({train.Dataset.Count:N0} training, {validation?.Count ?? 0:N0} validation) × {features:N0} floats: {samples * features * sizeof(float) / 1e6:N1} MB.");
        var trainFeatures = FeatureDataset.Of(network, train.Dataset, train.Options, options.ValidationBatchSize);
        var validationFeatures = validation is null ? null : FeatureDataset.Of(network, validation, train.Options, options.ValidationBatchSize);
        return new FrozenFeatureCache(new FrozenFeatureHead(network), new DataLoader(trainFeatures, train.Options), validationFeatures);
    }

    private static IFrozenFeatureNetwork Check(INetwork model, DataLoader train, IDataset? validation, TrainerOptions options)
    {
        var name = model.GetType().Name;
        if (options.Communicator is not null)
        {
            throw new ArgumentException("TrainerOptions.CacheFrozenFeatures trains on one process; leave Communicator null, or turn the cache off to train data-parallel.", nameof(options));
        }

        if (model is not IFrozenFeatureNetwork network)
        {
            var first = model.ParameterLayout.FirstOrDefault(p => p.Offset < model.Gradients.Length && model.Gradients.Length > 0);
            var firstLayer = first is null ? null : first.Name[..first.Name.LastIndexOf('.')];
            throw new ArgumentException(model.ParameterLayout.Count > 0 && model.ParameterLayout[0] == first
                ? $"TrainerOptions.CacheFrozenFeatures needs the layers before the head to be [Frozen], but {name}'s first layer with parameters, '{firstLayer}', is trainable."
                : $"TrainerOptions.CacheFrozenFeatures needs a head that reads only the frozen prefix's last output, one input and class labels; {name} has a frozen prefix but not that, so it has no features to cache.", nameof(model));
        }

        foreach (var (dataset, argument) in new[] { (train.Dataset, nameof(train)), (validation, nameof(validation)) })
        {
            if (dataset is { Augments: true })
            {
                throw new ArgumentException($"TrainerOptions.CacheFrozenFeatures computes each sample's features once, but {dataset.GetType().Name} ({argument}) augments at random, so its samples change every epoch; turn the augmentation or the cache off.", argument);
            }
        }

        var floats = ((long)train.Dataset.Count + (validation?.Count ?? 0)) * network.FrozenFeatureSize;
        if (Math.Max(train.Dataset.Count, validation?.Count ?? 0) * (long)network.FrozenFeatureSize > Array.MaxLength)
        {
            throw new ArgumentException($"TrainerOptions.CacheFrozenFeatures would hold {floats:N0} floats ({floats * sizeof(float) / 1e9:N1} GB) of {name}'s {network.FrozenFeatureSize:N0} features per sample, more than one array holds; train without the cache.", nameof(options));
        }

        return network;
    }
}
