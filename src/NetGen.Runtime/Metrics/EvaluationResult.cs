using System.Collections.Generic;

namespace NetGen.Metrics;

/// <summary>What <see cref="DatasetEvaluation.Evaluate"/> measured over a whole dataset (Keras' <c>evaluate</c>).</summary>
/// <param name="Loss">Mean loss per sample, as the network's loss defines it.</param>
/// <param name="Accuracy">Fraction of samples whose most probable class is the label; NaN once a batch diverged (non-finite loss).</param>
/// <param name="ConfusionMatrix">Counts of (actual, predicted) classes; a binary classifier's predicted class is 1 when its probability exceeds 0.5.</param>
/// <param name="Metrics">The requested <see cref="EvaluationMetric"/> values by <see cref="EvaluationMetric.Name"/>; NaN once a batch diverged.</param>
public sealed record EvaluationResult(double Loss, double Accuracy, ConfusionMatrix ConfusionMatrix, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>sklearn's classification report (per-class precision, recall, F1, support) of <see cref="ConfusionMatrix"/>.</summary>
    public string ClassificationReport(IReadOnlyList<string>? classNames = null, int digits = 2) =>
        global::NetGen.Metrics.ClassificationReport.Render(ConfusionMatrix, classNames, digits);
}
