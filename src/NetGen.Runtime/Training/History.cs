using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace NetGen.Training;

/// <summary>The record of a <c>Trainer.Fit</c> run: one <see cref="EpochMetrics"/> per epoch run, and why it stopped early, if it did.</summary>
public sealed class History
{
    private readonly List<EpochMetrics> epochs = new();

    /// <summary>The epochs run, in order.</summary>
    public IReadOnlyList<EpochMetrics> Epochs => epochs;

    /// <summary>Why training ended before the last epoch (a callback's message), or null when it ran them all.</summary>
    public string? StopReason { get; internal set; }

    /// <summary>Whether any epoch has validation results.</summary>
    public bool HasValidation => epochs.Exists(e => e.ValidationLoss is not null);

    internal void Add(EpochMetrics metrics) => epochs.Add(metrics);

    /// <summary>
    /// The epochs a <see cref="CsvLogger"/> wrote to <paramref name="path"/>, e.g. to plot the curves of a
    /// run that was resumed (its earlier epochs are in the file, not in the resumed run's history).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not such a log; the message names the file and line.</exception>
    public static History ReadCsv(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || !(lines[0] == CsvLogger.Header || lines[0].StartsWith(CsvLogger.Header + ",", StringComparison.Ordinal)))
        {
            throw new InvalidDataException($"'{path}' is not a training log: its first line should begin with '{CsvLogger.Header}'.");
        }

        var columns = lines[0].Split(',');
        var history = new History();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length > 0)
            {
                history.Add(ParseLine(path, i + 1, lines[i], columns));
            }
        }

        return history;
    }

    private static EpochMetrics ParseLine(string path, int lineNumber, string line, string[] columns)
    {
        var fields = line.Split(',');
        double? Number(int index, bool optional)
        {
            if (optional && fields[index].Length == 0)
            {
                return null;
            }

            return double.TryParse(fields[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new InvalidDataException($"'{path}' line {lineNumber}: '{fields[index]}' in column {columns[index]} is not a number.");
        }

        if (fields.Length != columns.Length)
        {
            throw new InvalidDataException($"'{path}' line {lineNumber} has {fields.Length} fields, not the {columns.Length} of '{string.Join(',', columns)}'.");
        }

        if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) || epoch < 1)
        {
            throw new InvalidDataException($"'{path}' line {lineNumber}: epoch '{fields[0]}' is not a number from 1.");
        }

        // The columns after the fixed seven are EpochMetrics.Metrics; an empty field was not measured.
        var metrics = new Dictionary<string, double>();
        for (var c = 7; c < columns.Length; c++)
        {
            if (Number(c, true) is { } value)
            {
                metrics[columns[c]] = value;
            }
        }

        return new EpochMetrics(epoch, Number(1, false)!.Value, Number(2, true), Number(3, true), Number(4, true), Number(5, false)!.Value, Number(6, false)!.Value)
        {
            Metrics = metrics,
        };
    }
}
