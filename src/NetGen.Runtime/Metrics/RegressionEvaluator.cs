using System;
using System.Collections.Generic;
using NetGen.Data;

namespace NetGen.Metrics;

/// <summary>
/// Evaluation of a regressor (MSE or MAE), by <see cref="DatasetEvaluation.Evaluate"/> and in the
/// validation pass of <c>Trainer.Fit</c>: the mean loss and
/// the requested <see cref="EvaluationMetric.MeanSquaredError"/> / <see cref="EvaluationMetric.MeanAbsoluteError"/>
/// over an <see cref="ITargetDataset"/>, with a loader and output buffer allocated once for every epoch.
/// </summary>
internal sealed class RegressionEvaluator : IDatasetEvaluator
{
    private readonly INetwork model;
    private readonly DataLoader loader;
    private readonly IReadOnlyList<EvaluationMetric> metrics;
    private readonly float[] outputs;

    public RegressionEvaluator(INetwork model, IDataset dataset, int batchSize, IReadOnlyList<EvaluationMetric> metrics, string argument)
    {
        DatasetChecks.CheckRegression(model, dataset, argument);
        foreach (var metric in metrics)
        {
            if (!metric.ForRegression)
            {
                throw new ArgumentException($"{metric.Name} is a classification metric, but {model.GetType().Name} is a regressor ({model.Loss}); use EvaluationMetric.MeanSquaredError or MeanAbsoluteError.", nameof(metrics));
            }
        }

        this.model = model;
        this.metrics = metrics;
        loader = new DataLoader(dataset, new DataLoaderOptions { BatchSize = batchSize, Shuffle = false });
        outputs = new float[batchSize * model.OutputSize];
    }

    /// <summary>The mean loss per sample and the metrics (means over every output value) over the whole dataset; no accuracy or confusion matrix.</summary>
    public EvaluationResult Run()
    {
        double lossSum = 0, squaredErrors = 0, absoluteErrors = 0;
        long samples = 0;
        foreach (var batch in loader.Epoch(0))
        {
            var predicted = outputs.AsSpan(0, batch.Size * model.OutputSize);
            lossSum += (double)model.Evaluate(batch.Inputs, batch.Targets, predicted) * batch.Size;
            var targets = batch.Targets;
            for (var i = 0; i < predicted.Length; i++)
            {
                double error = predicted[i] - targets[i];
                squaredErrors += error * error;
                absoluteErrors += Math.Abs(error);
            }

            samples += batch.Size;
        }

        var values = new Dictionary<string, double>();
        var count = (double)samples * model.OutputSize;
        foreach (var metric in metrics)
        {
            values[metric.Name] = metric.Kind switch
            {
                MetricKind.MeanSquaredError => squaredErrors / count,
                MetricKind.MeanAbsoluteError => absoluteErrors / count,
                MetricKind.Precision or MetricKind.Recall or MetricKind.F1 or MetricKind.Auc or MetricKind.TopKAccuracy =>
                    throw new InvalidOperationException($"{metric.Name} is a classification metric; the constructor rejects it for regressors."),
            };
        }

        return new EvaluationResult(lossSum / samples, accuracy: null, confusionMatrix: null, values, model);
    }
}
