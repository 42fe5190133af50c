using System;
using NetGen.Data;

namespace NetGen.Metrics;

/// <summary>Whether a labelled dataset fits a classifier, with errors that name both and the argument.</summary>
internal static class DatasetChecks
{
    /// <summary>Throws unless the inputs and classes of <paramref name="dataset"/> match classifier <paramref name="model"/>.</summary>
    public static void CheckClassification(INetwork model, IDataset dataset, string argument)
    {
        var name = model.GetType().Name;
        if (dataset is ITargetDataset { TargetSize: > 0 })
        {
            throw new ArgumentException($"{name} is a classifier ({model.Loss}), which compares class labels, but {dataset.GetType().Name} holds float targets (a regressor's, for MeanSquaredError or MeanAbsoluteError); give it a dataset of class labels.", argument);
        }

        CheckSampleSize(model, dataset, argument);
        var outputs = model.Loss == Loss.BinaryCrossEntropy ? 2 : model.OutputSize;
        if (dataset.ClassCount != outputs)
        {
            throw new ArgumentException($"{dataset.GetType().Name} has {dataset.ClassCount} classes but {name} ({model.Loss}, {model.OutputSize} outputs) predicts {outputs}.", argument);
        }
    }

    /// <summary>Throws unless <paramref name="dataset"/> holds float targets of <paramref name="model"/>'s output size and inputs of its input size.</summary>
    public static void CheckRegression(INetwork model, IDataset dataset, string argument)
    {
        var targetSize = dataset is ITargetDataset targets ? targets.TargetSize : 0;
        if (targetSize == 0)
        {
            throw new ArgumentException($"{model.GetType().Name} is trained with {model.Loss}, which compares float targets, but {dataset.GetType().Name} holds class labels; give it an ITargetDataset such as RegressionDataset.", argument);
        }

        CheckSampleSize(model, dataset, argument);

        if (targetSize != model.OutputSize)
        {
            throw new ArgumentException($"{dataset.GetType().Name} targets hold {targetSize} floats but {model.GetType().Name} outputs {model.OutputSize}.", argument);
        }
    }

    /// <summary>Throws unless a sample of <paramref name="dataset"/> is one input of <paramref name="model"/>.</summary>
    public static void CheckSampleSize(INetwork model, IDataset dataset, string argument)
    {
        var sampleSize = 1;
        foreach (var dimension in dataset.SampleShape)
        {
            sampleSize *= dimension;
        }

        if (sampleSize != model.InputSize)
        {
            throw new ArgumentException($"{dataset.GetType().Name} samples hold {sampleSize} floats but {model.GetType().Name} takes {model.InputSize}.", argument);
        }
    }
}
