using System;
using System.Collections.Generic;

namespace NetGen.Metrics;

/// <summary>
/// What <see cref="DatasetEvaluation.Evaluate"/> measured over a whole dataset (Keras' <c>evaluate</c>):
/// the loss and requested metrics for every network, accuracy and the confusion matrix for classifiers.
/// </summary>
public sealed record EvaluationResult
{
    private readonly ConfusionMatrix? confusionMatrix;
    private readonly string network;

    internal EvaluationResult(double loss, double? accuracy, ConfusionMatrix? confusionMatrix, IReadOnlyDictionary<string, double> metrics, INetwork model)
    {
        Loss = loss;
        Accuracy = accuracy;
        this.confusionMatrix = confusionMatrix;
        Metrics = metrics;
        network = $"{model.GetType().Name} is a regressor ({model.Loss})";
    }

    /// <summary>Mean loss per sample, as the network's loss defines it.</summary>
    public double Loss { get; }

    /// <summary>
    /// Fraction of samples whose most probable class is the label; NaN once a batch diverged
    /// (non-finite loss); null for a regressor (MSE, MAE), which predicts no classes.
    /// </summary>
    public double? Accuracy { get; }

    /// <summary>The requested <see cref="EvaluationMetric"/> values by <see cref="EvaluationMetric.Name"/>; NaN once a batch diverged.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>Counts of (actual, predicted) classes; a binary classifier's predicted class is 1 when its probability exceeds 0.5.</summary>
    /// <exception cref="InvalidOperationException">The network is a regressor.</exception>
    public ConfusionMatrix ConfusionMatrix => confusionMatrix
        ?? throw new InvalidOperationException($"{network}: it predicts values, not classes, so there is no confusion matrix; read Loss and Metrics (mse, mae).");

    /// <summary>sklearn's classification report (per-class precision, recall, F1, support) of <see cref="ConfusionMatrix"/>.</summary>
    /// <exception cref="InvalidOperationException">The network is a regressor.</exception>
    public string ClassificationReport(IReadOnlyList<string>? classNames = null, int digits = 2) =>
        global::NetGen.Metrics.ClassificationReport.Render(ConfusionMatrix, classNames, digits);
}
