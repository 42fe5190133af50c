using System;

namespace NetGen.Training;

/// <summary>What one epoch of <see cref="Trainer.Fit"/> measured.</summary>
/// <param name="Epoch">The epoch's number, counted from 1 as progress shows it ("Epoch 1/10"), in the CSV log and in callbacks' messages.</param>
/// <param name="TrainLoss">Mean training loss, weighted by batch size; NaN once any batch diverged.</param>
/// <param name="TrainAccuracy">Fraction of training samples predicted right, measured on the outputs of each step (before its update).</param>
/// <param name="ValidationLoss">Mean validation loss after the epoch, or null without validation data.</param>
/// <param name="ValidationAccuracy">Validation accuracy after the epoch, or null without validation data.</param>
/// <param name="LearningRate">The learning rate used during the epoch.</param>
/// <param name="Seconds">Wall-clock time of the epoch, validation included.</param>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy, double LearningRate, double Seconds)
{
    /// <summary>The value of <paramref name="metric"/>, or null when it was not measured (no validation data).</summary>
    public double? Get(Metric metric) => metric switch
    {
        Metric.TrainLoss => TrainLoss,
        Metric.TrainAccuracy => TrainAccuracy,
        Metric.ValidationLoss => ValidationLoss,
        Metric.ValidationAccuracy => ValidationAccuracy,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>Whether a higher value of <paramref name="metric"/> is better.</summary>
    public static bool HigherIsBetter(Metric metric) => metric is Metric.TrainAccuracy or Metric.ValidationAccuracy;

    /// <summary>Keras' name of <paramref name="metric"/> (<c>val_loss</c>, ...), for messages and metadata.</summary>
    public static string NameOf(Metric metric) => metric switch
    {
        Metric.TrainLoss => "loss",
        Metric.TrainAccuracy => "accuracy",
        Metric.ValidationLoss => "val_loss",
        Metric.ValidationAccuracy => "val_accuracy",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };
}
