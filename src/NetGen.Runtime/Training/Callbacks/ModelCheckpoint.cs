using System;
using System.Collections.Generic;
using System.Globalization;
using NetGen.Checkpoints;

namespace NetGen.Training;

/// <summary>
/// Saves the model (and its optimizer, so training can resume) with <see cref="Checkpoint.Save"/>
/// after every epoch that improves the monitored metric, or after every epoch. Each save is
/// atomic, so the file always holds a complete checkpoint. The metadata records <c>epoch</c>
/// (the saved epoch's number, which is also the epochs done: <see cref="TrainerOptions.InitialEpoch"/> to resume) and the monitored metric under its Keras name.
/// </summary>
public sealed class ModelCheckpoint : ICallback
{
    private readonly MetricMonitor monitor;

    /// <summary>Creates the callback.</summary>
    /// <param name="path">The checkpoint file, replaced on each save.</param>
    /// <param name="monitor">The metric that decides which epoch is best.</param>
    /// <param name="saveBestOnly">Save only on improvement (otherwise every epoch).</param>
    /// <param name="includeOptimizer">Save the optimizer state too, for resuming.</param>
    /// <param name="initialValueThreshold">
    /// The best value so far (Keras' <c>initial_value_threshold</c>): with <paramref name="saveBestOnly"/>, only
    /// an epoch that beats it replaces the file, so a resumed run keeps the earlier run's best checkpoint.
    /// </param>
    public ModelCheckpoint(string path, Metric monitor = Metric.ValidationLoss, bool saveBestOnly = true, bool includeOptimizer = true, double? initialValueThreshold = null)
        : this(path, EpochMetrics.NameOf(monitor), saveBestOnly, includeOptimizer, initialValueThreshold)
    {
    }

    /// <summary>Creates the callback monitoring a metric by name, e.g. <c>val_f1</c> for <see cref="Metrics.EvaluationMetric.F1"/> in <see cref="TrainerOptions.Metrics"/>.</summary>
    /// <param name="path">The checkpoint file, replaced on each save.</param>
    /// <param name="monitor">The name of the metric that decides which epoch is best, as <see cref="EpochMetrics.Get(string)"/> knows it.</param>
    /// <param name="saveBestOnly">Save only on improvement (otherwise every epoch).</param>
    /// <param name="includeOptimizer">Save the optimizer state too, for resuming.</param>
    /// <param name="initialValueThreshold">The best value so far, as for the other constructor.</param>
    public ModelCheckpoint(string path, string monitor, bool saveBestOnly = true, bool includeOptimizer = true, double? initialValueThreshold = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (initialValueThreshold is { } threshold && double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(initialValueThreshold), threshold, "The initial best value must be a number.");
        }

        Path = path;
        this.monitor = new MetricMonitor(monitor, 0, initialValueThreshold);
        SaveBestOnly = saveBestOnly;
        IncludeOptimizer = includeOptimizer;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>Whether only improving epochs are saved.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>Whether the optimizer state is saved.</summary>
    public bool IncludeOptimizer { get; }

    /// <summary>The number (from 1) of the epoch last saved, or 0 before the first save.</summary>
    public int SavedEpoch { get; private set; }

    /// <inheritdoc/>
    public CallbackAction OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(metrics);
        var value = monitor.Read(metrics, nameof(ModelCheckpoint));
        if (monitor.Improves(value) || !SaveBestOnly)
        {
            var metadata = new Dictionary<string, string>
            {
                ["epoch"] = metrics.Epoch.ToString(CultureInfo.InvariantCulture),
                [monitor.Name] = value.ToString("R", CultureInfo.InvariantCulture),
            };
            // Every rank of a data-parallel run holds the same model; one writer keeps the file whole.
            if (context.Rank == 0)
            {
                Checkpoint.Save(Path, context.Model, IncludeOptimizer ? context.Optimizer : null, metadata);
            }

            SavedEpoch = metrics.Epoch;
        }

        return CallbackAction.Continue;
    }
}
