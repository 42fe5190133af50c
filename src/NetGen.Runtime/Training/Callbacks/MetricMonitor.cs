using System;

namespace NetGen.Training;

/// <summary>
/// Tracks the best value of a monitored metric, Keras-style: an epoch improves when it beats the
/// best by more than <c>minDelta</c> in the metric's direction (lower for losses, higher for the rest).
/// </summary>
internal sealed class MetricMonitor
{
    private readonly double minDelta;

    public MetricMonitor(string name, double minDelta, double? initialBest = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!double.IsFinite(minDelta) || minDelta < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "minDelta must be a finite number >= 0.");
        }

        Name = name;
        this.minDelta = minDelta;
        Best = initialBest ?? (EpochMetrics.HigherIsBetter(name) ? double.NegativeInfinity : double.PositiveInfinity);
    }

    /// <summary>The monitored metric's name (<c>val_loss</c>, <c>val_f1</c>, ...).</summary>
    public string Name { get; }

    public double Best { get; private set; }

    /// <summary>The monitored value of <paramref name="metrics"/>, or a clear error when it was not measured.</summary>
    public double Read(EpochMetrics metrics, string callback) =>
        metrics.Get(Name) ?? throw new InvalidOperationException(
            $"{callback} monitors {Name}, but Fit did not measure it: validation metrics need validation data, and metrics other than loss and accuracy must be listed in TrainerOptions.Metrics (val_f1 for EvaluationMetric.F1).");

    /// <summary>Records <paramref name="value"/>; true when it is a new best.</summary>
    public bool Improves(double value)
    {
        var better = EpochMetrics.HigherIsBetter(Name) ? value - minDelta > Best : value + minDelta < Best;
        if (better)
        {
            Best = value;
        }

        return better;
    }
}
