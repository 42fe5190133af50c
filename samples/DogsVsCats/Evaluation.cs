using System;
using NetGen.Data;
using NetGen.Metrics;

namespace NetGen.Samples.DogsVsCats;

/// <summary>Runs a one-output sigmoid classifier over a whole dataset.</summary>
public static class Evaluation
{
    /// <summary>
    /// The confusion matrix of <paramref name="model"/> on <paramref name="data"/> in order, read in
    /// batches of <paramref name="batchSize"/>; a probability above 0.5 predicts class 1.
    /// </summary>
    public static ConfusionMatrix ConfusionMatrixOf(INetwork model, IDataset data, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var matrix = new ConfusionMatrix(2);
        var outputs = new float[batchSize * model.OutputSize];
        var loader = new DataLoader(data, new DataLoaderOptions { BatchSize = batchSize, Shuffle = false });
        foreach (var batch in loader.Epoch(0))
        {
            var batchOutputs = outputs.AsSpan(0, batch.Size * model.OutputSize);
            model.Evaluate(batch.Inputs, batch.Labels, batchOutputs);
            matrix.AddBinary(batchOutputs, batch.Labels, 0.5f);
        }

        return matrix;
    }
}
