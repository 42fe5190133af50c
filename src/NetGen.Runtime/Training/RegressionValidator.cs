using System;
using NetGen.Data;
using NetGen.Metrics;

namespace NetGen.Training;

/// <summary>
/// The validation pass of a regressor (MSE or MAE) in <see cref="Trainer.Fit"/>: the mean loss over
/// an <see cref="ITargetDataset"/>, with a loader and output buffer allocated once for every epoch.
/// </summary>
internal sealed class RegressionValidator
{
    private readonly INetwork model;
    private readonly DataLoader loader;
    private readonly float[] outputs;

    public RegressionValidator(INetwork model, IDataset dataset, int batchSize, string argument)
    {
        DatasetChecks.CheckRegression(model, dataset, argument);
        this.model = model;
        loader = new DataLoader(dataset, new DataLoaderOptions { BatchSize = batchSize, Shuffle = false });
        outputs = new float[batchSize * model.OutputSize];
    }

    /// <summary>The mean loss per sample over the whole dataset.</summary>
    public double Run()
    {
        double lossSum = 0;
        long samples = 0;
        foreach (var batch in loader.Epoch(0))
        {
            lossSum += (double)model.Evaluate(batch.Inputs, batch.Targets, outputs.AsSpan(0, batch.Size * model.OutputSize)) * batch.Size;
            samples += batch.Size;
        }

        return lossSum / samples;
    }
}
