using System;
using NetGen.Schedules;

namespace NetGen.Training;

/// <summary>
/// Drives the optimizer's learning rate from a schedule: an epoch-indexed
/// <see cref="LearningRateSchedule"/> is applied before each epoch (so a resumed run at epoch
/// <c>e</c> gets the rate for <c>e</c>); a <see cref="ReduceLROnPlateau"/> is fed the monitored
/// metric after each epoch and sets the rate for the next.
/// </summary>
public sealed class LearningRateScheduler : ICallback
{
    private readonly LearningRateSchedule? schedule;
    private readonly (ReduceLROnPlateau Schedule, MetricMonitor Monitor)? plateau;

    /// <summary>Applies <paramref name="schedule"/> at the start of every epoch.</summary>
    public LearningRateScheduler(LearningRateSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        this.schedule = schedule;
    }

    /// <summary>Steps <paramref name="plateau"/> with <paramref name="monitor"/> at the end of every epoch.</summary>
    public LearningRateScheduler(ReduceLROnPlateau plateau, Metric monitor = Metric.ValidationLoss)
        : this(plateau, EpochMetrics.NameOf(monitor))
    {
    }

    /// <summary>Steps <paramref name="plateau"/> with the metric named <paramref name="monitor"/> (e.g. <c>val_f1</c>) at the end of every epoch.</summary>
    public LearningRateScheduler(ReduceLROnPlateau plateau, string monitor)
    {
        ArgumentNullException.ThrowIfNull(plateau);
        ArgumentException.ThrowIfNullOrWhiteSpace(monitor);
        var higherIsBetter = EpochMetrics.HigherIsBetter(monitor);
        if (higherIsBetter != (plateau.Mode == PlateauMode.Max))
        {
            throw new ArgumentException($"ReduceLROnPlateau is in {plateau.Mode} mode but {monitor} should {(higherIsBetter ? "rise" : "fall")}.", nameof(monitor));
        }

        this.plateau = (plateau, new MetricMonitor(monitor, 0));
    }

    /// <inheritdoc/>
    public void OnEpochBegin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // Schedules are indexed by the epochs done before this one, as PyTorch's are: 0 for the first.
        schedule?.Apply(context.Optimizer, context.Epoch - 1);
    }

    /// <inheritdoc/>
    public CallbackAction OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(metrics);
        if (plateau is { } onPlateau)
        {
            onPlateau.Schedule.Step(onPlateau.Monitor.Read(metrics, nameof(LearningRateScheduler)), context.Optimizer);
        }

        return CallbackAction.Continue;
    }
}
