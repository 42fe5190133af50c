using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Training;

/// <summary>What one epoch of <c>Trainer.Fit</c> measured.</summary>
/// <param name="Epoch">The epoch's number, counted from 1 as progress shows it ("Epoch 1/10"), in the CSV log and in callbacks' messages.</param>
/// <param name="TrainLoss">Mean training loss, weighted by batch size; NaN once any batch diverged.</param>
/// <param name="TrainAccuracy">Fraction of training samples predicted right, measured on the outputs of each step (before its update); null for a regressor (MSE, MAE).</param>
/// <param name="ValidationLoss">Mean validation loss after the epoch, or null without validation data.</param>
/// <param name="ValidationAccuracy">Validation accuracy after the epoch, or null without validation data or for a regressor.</param>
/// <param name="LearningRate">The learning rate used during the epoch.</param>
/// <param name="Seconds">Wall-clock time of the epoch, validation included.</param>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double? TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy, double LearningRate, double Seconds)
{
    private static readonly IReadOnlyDictionary<string, double> None = new Dictionary<string, double>();

    /// <summary>
    /// The <see cref="TrainerOptions.Metrics"/> measured on the validation data, by name with Keras'
    /// <c>val_</c> prefix (<c>val_f1</c>, <c>val_top_5_accuracy</c>); empty without validation data. For a
    /// network with several outputs, each output's training loss (<c>digit_loss</c>) and, with validation
    /// data, its validation loss and accuracy (<c>val_digit_loss</c>, <c>val_digit_accuracy</c>).
    /// </summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = None;

    /// <summary>The value of <paramref name="metric"/>, or null when it was not measured (no validation data).</summary>
    public double? Get(Metric metric) => Get(NameOf(metric));

    /// <summary>
    /// The value named <paramref name="name"/>: <c>loss</c>, <c>accuracy</c>, <c>val_loss</c>,
    /// <c>val_accuracy</c> or one of <see cref="Metrics"/>; null when this epoch did not measure it.
    /// </summary>
    public double? Get(string name) => name switch
    {
        "loss" => TrainLoss,
        "accuracy" => TrainAccuracy,
        "val_loss" => ValidationLoss,
        "val_accuracy" => ValidationAccuracy,
        _ => Metrics.TryGetValue(name, out var value) ? value : null,
    };

    /// <summary>Whether a higher value of <paramref name="metric"/> is better.</summary>
    public static bool HigherIsBetter(Metric metric) => HigherIsBetter(NameOf(metric));

    /// <summary>Whether a higher value of the metric named <paramref name="name"/> is better: every one but the losses and errors (<c>mse</c>, <c>mae</c>).</summary>
    public static bool HigherIsBetter(string name) => name is not ("loss" or "val_loss" or "mse" or "val_mse" or "mae" or "val_mae");

    /// <summary>Keras' name of <paramref name="metric"/> (<c>val_loss</c>, ...), for messages and metadata.</summary>
    public static string NameOf(Metric metric) => metric switch
    {
        Metric.TrainLoss => "loss",
        Metric.TrainAccuracy => "accuracy",
        Metric.ValidationLoss => "val_loss",
        Metric.ValidationAccuracy => "val_accuracy",
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>Equal when every measurement is, <see cref="Metrics"/> compared by content (a record would compare the dictionaries' references).</summary>
    public bool Equals(EpochMetrics? other) =>
        other is not null
        && (Epoch, TrainLoss, TrainAccuracy, ValidationLoss, ValidationAccuracy, LearningRate, Seconds).Equals((other.Epoch, other.TrainLoss, other.TrainAccuracy, other.ValidationLoss, other.ValidationAccuracy, other.LearningRate, other.Seconds))
        && Metrics.Count == other.Metrics.Count
        && Metrics.All(pair => other.Metrics.TryGetValue(pair.Key, out var value) && value.Equals(pair.Value));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Epoch, TrainLoss, TrainAccuracy, ValidationLoss, ValidationAccuracy, LearningRate, Seconds, Metrics.Count);
}
