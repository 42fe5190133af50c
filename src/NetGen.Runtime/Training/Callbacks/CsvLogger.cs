using System;
using System.Globalization;
using System.IO;

namespace NetGen.Training;

/// <summary>
/// Appends each epoch's metrics to a CSV file as the epoch ends (Keras' CSVLogger), flushed at once,
/// so the record survives a crash; <see cref="History.ReadCsv"/> reads it back. Columns:
/// <c>epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds</c>, epoch numbered from 1 as in <see cref="EpochMetrics.Epoch"/>, an empty field for a
/// metric that was not measured.
/// </summary>
public sealed class CsvLogger : ICallback
{
    /// <summary>The header line.</summary>
    public const string Header = "epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds";

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
    public void OnTrainBegin(TrainingContext context)
    {
        if (!Append || !File.Exists(Path) || new FileInfo(Path).Length == 0)
        {
            File.WriteAllText(Path, Header + "\n");
        }
    }

    /// <inheritdoc/>
    public CallbackAction OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        File.AppendAllText(Path, Line(metrics) + "\n");
        return CallbackAction.Continue;
    }

    /// <summary>One epoch as a CSV line, numbers in round-trip form.</summary>
    public static string Line(EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty;
        return string.Join(',', metrics.Epoch.ToString(CultureInfo.InvariantCulture), Number(metrics.TrainLoss), Number(metrics.TrainAccuracy),
            Number(metrics.ValidationLoss), Number(metrics.ValidationAccuracy), Number(metrics.LearningRate), Number(metrics.Seconds));
    }
}
