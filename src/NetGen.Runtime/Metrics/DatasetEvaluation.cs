using System;
using System.Collections.Generic;
using NetGen.Data;

namespace NetGen.Metrics;

/// <summary>Keras' <c>evaluate</c> for any generated classifier: loss, accuracy, a confusion matrix and chosen metrics over a dataset.</summary>
public static class DatasetEvaluation
{
    /// <summary>
    /// Runs inference over every sample of <paramref name="dataset"/> in order, in batches of
    /// <paramref name="batchSize"/>, and measures the loss, accuracy, confusion matrix and
    /// <paramref name="metrics"/>. The network is not changed (no gradients, no training-mode layers).
    /// </summary>
    /// <example><code>
    /// var result = model.Evaluate(test, metrics: [EvaluationMetric.F1, EvaluationMetric.TopKAccuracy(3)]);
    /// Console.WriteLine($"loss {result.Loss:F4} accuracy {result.Accuracy:P2} F1 {result.Metrics["f1"]:F3}");
    /// Console.WriteLine(result.ClassificationReport());
    /// </code></example>
    /// <exception cref="ArgumentException">The dataset does not fit the network (sample size or classes), or the network is a regressor.</exception>
    public static EvaluationResult Evaluate(this INetwork model, IDataset dataset, int batchSize = 256, IReadOnlyList<EvaluationMetric>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        return new DatasetEvaluator(model, dataset, batchSize, metrics ?? [], nameof(dataset)).Run();
    }

    /// <summary>The confusion matrix of <paramref name="model"/>'s predictions over <paramref name="dataset"/>.</summary>
    public static ConfusionMatrix ConfusionMatrix(this INetwork model, IDataset dataset, int batchSize = 256) =>
        model.Evaluate(dataset, batchSize).ConfusionMatrix;

    /// <summary>sklearn's classification report of <paramref name="model"/>'s predictions over <paramref name="dataset"/>.</summary>
    public static string ClassificationReport(this INetwork model, IDataset dataset, IReadOnlyList<string>? classNames = null, int batchSize = 256) =>
        model.Evaluate(dataset, batchSize).ClassificationReport(classNames);
}
