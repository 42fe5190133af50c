using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace NetGen.Training;

/// <summary>
/// Appends each epoch's metrics to a CSV file as the epoch ends (Keras' CSVLogger), flushed at once,
/// so the record survives a crash; <see cref="History.ReadCsv"/> reads it back. Columns:
/// <c>epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds</c>, then one per name in
/// <see cref="TrainingContext.MetricNames"/> (<c>val_f1</c>, ...); epoch numbered from 1 as in
/// <see cref="EpochMetrics.Epoch"/>, an empty field for a metric that was not measured.
/// </summary>
public sealed class CsvLogger : ICallback
{
    /// <summary>The header line of the columns every log has.</summary>
    public const string Header = "epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds";

    private IReadOnlyList<string> metricNames = [];

    /// <summary>Creates the logger.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="append">Add to an existing file (a resumed run) instead of starting it afresh.</param>
    public CsvLogger(string path, bool append = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        Append = append;
    }

    /// <summary>The CSV file.</summary>
    public string Path { get; }

    /// <summary>Whether an existing file is continued.</summary>
    public bool Append { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">Appending to a log whose columns are not this run's.</exception>
    public void OnTrainBegin(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        metricNames = context.MetricNames;
        // Rank 0 of a data-parallel run writes the log for all ranks, which report the same epochs.
        if (context.Rank != 0)
        {
            return;
        }

        var header = HeaderFor(metricNames);
        if (!Append || !File.Exists(Path) || new FileInfo(Path).Length == 0)
        {
            File.WriteAllText(Path, header + "\n");
            return;
        }

        var existing = File.ReadLines(Path).First();
        if (existing != header)
        {
            throw new InvalidDataException($"Cannot append to '{Path}': its columns are '{existing}' but this run logs '{header}' (TrainerOptions.Metrics differ).");
        }
    }

    /// <inheritdoc/>
    public CallbackAction OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(metrics);
        if (context.Rank != 0)
        {
            return CallbackAction.Continue;
        }

        File.AppendAllText(Path, Line(metrics, metricNames) + "\n");
        return CallbackAction.Continue;
    }

    /// <summary>The header line of a log with the extra metric columns <paramref name="metricNames"/>.</summary>
    public static string HeaderFor(IReadOnlyList<string> metricNames) =>
        string.Join(',', [Header, .. metricNames ?? throw new ArgumentNullException(nameof(metricNames))]);

    /// <summary>One epoch as a CSV line, numbers in round-trip form, with a column per name in <paramref name="metricNames"/>.</summary>
    public static string Line(EpochMetrics metrics, IReadOnlyList<string>? metricNames = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty;
        IEnumerable<string> fields =
        [
            metrics.Epoch.ToString(CultureInfo.InvariantCulture), Number(metrics.TrainLoss), Number(metrics.TrainAccuracy),
            Number(metrics.ValidationLoss), Number(metrics.ValidationAccuracy), Number(metrics.LearningRate), Number(metrics.Seconds),
            .. (metricNames ?? []).Select(name => Number(metrics.Get(name))),
        ];
        return string.Join(',', fields);
    }
}
