using System;

namespace NetGen.Training;

/// <summary>
/// Tracks the best value of a monitored metric, Keras-style: an epoch improves when it beats the
/// best by more than <c>minDelta</c> in the metric's direction (lower for losses, higher for accuracies).
/// </summary>
internal sealed class MetricMonitor
{
    private readonly double minDelta;

    public MetricMonitor(Metric metric, double minDelta, double? initialBest = null)
    {
        if (!double.IsFinite(minDelta) || minDelta < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "minDelta must be a finite number >= 0.");
        }

        Metric = metric;
        this.minDelta = minDelta;
        Best = initialBest ?? (EpochMetrics.HigherIsBetter(metric) ? double.NegativeInfinity : double.PositiveInfinity);
    }

    public Metric Metric { get; }

    public double Best { get; private set; }

    /// <summary>The monitored value of <paramref name="metrics"/>, or a clear error when it was not measured.</summary>
    public double Read(EpochMetrics metrics, string callback) =>
        metrics.Get(Metric) ?? throw new InvalidOperationException($"{callback} monitors {EpochMetrics.NameOf(Metric)}, but Fit was given no validation data.");

    /// <summary>Records <paramref name="value"/>; true when it is a new best.</summary>
    public bool Improves(double value)
    {
        var better = EpochMetrics.HigherIsBetter(Metric) ? value - minDelta > Best : value + minDelta < Best;
        if (better)
        {
            Best = value;
        }

        return better;
    }
}
