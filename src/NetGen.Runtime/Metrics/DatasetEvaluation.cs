using System;
using System.Collections.Generic;
using NetGen.Data;
using NetGen.Losses;

namespace NetGen.Metrics;

/// <summary>
/// Keras' <c>evaluate</c> for any generated network over a dataset: loss and chosen metrics, plus
/// accuracy and a confusion matrix for a classifier.
/// </summary>
public static class DatasetEvaluation
{
    /// <summary>
    /// Runs inference over every sample of <paramref name="dataset"/> in order, in batches of
    /// <paramref name="batchSize"/>, and measures the loss and <paramref name="metrics"/>: for a
    /// classifier (softmax or binary cross-entropy) on a labelled dataset also the accuracy and the
    /// confusion matrix, for a regressor (MSE, MAE) on an <see cref="ITargetDataset"/> such as
    /// <see cref="RegressionDataset"/> the <see cref="EvaluationMetric.MeanSquaredError"/> and
    /// <see cref="EvaluationMetric.MeanAbsoluteError"/> asked for. The network is not changed (no
    /// gradients, no training-mode layers).
    /// </summary>
    /// <example><code>
    /// var result = model.Evaluate(test, metrics: [EvaluationMetric.F1, EvaluationMetric.TopKAccuracy(3)]);
    /// Console.WriteLine($"loss {result.Loss:F4} accuracy {result.Accuracy:P2} F1 {result.Metrics["f1"]:F3}");
    /// Console.WriteLine(result.ClassificationReport());
    /// </code></example>
    /// <exception cref="ArgumentException">The dataset does not fit the network (sample size, classes or targets, labels for a regressor, targets for a classifier), or a metric does not fit its loss.</exception>
    public static EvaluationResult Evaluate(this INetwork model, IDataset dataset, int batchSize = 256, IReadOnlyList<EvaluationMetric>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        return EvaluatorFor(model, dataset, batchSize, metrics ?? [], nameof(dataset)).Run();
    }

    /// <summary>The evaluator that fits <paramref name="model"/>'s loss; <paramref name="argument"/> names the dataset in errors.</summary>
    internal static IDatasetEvaluator EvaluatorFor(INetwork model, IDataset dataset, int batchSize, IReadOnlyList<EvaluationMetric> metrics, string argument) =>
        LossRules.TakesLabels(model.Loss)
            ? new ClassifierEvaluator(model, dataset, batchSize, metrics, argument)
            : new RegressionEvaluator(model, dataset, batchSize, metrics, argument);

    /// <summary>The confusion matrix of <paramref name="model"/>'s predictions over <paramref name="dataset"/>.</summary>
    public static ConfusionMatrix ConfusionMatrix(this INetwork model, IDataset dataset, int batchSize = 256) =>
        model.Evaluate(dataset, batchSize).ConfusionMatrix;

    /// <summary>sklearn's classification report of <paramref name="model"/>'s predictions over <paramref name="dataset"/>.</summary>
    public static string ClassificationReport(this INetwork model, IDataset dataset, IReadOnlyList<string>? classNames = null, int batchSize = 256) =>
        model.Evaluate(dataset, batchSize).ClassificationReport(classNames);
}
