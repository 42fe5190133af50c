using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NetGen.Metrics;

/// <summary>
/// Counts of (actual class, predicted class) pairs, accumulated over any number of batches, and
/// the per-class scores derived from them with sklearn's semantics (undefined ratios are 0).
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] counts;

    /// <summary>Creates an empty matrix for <paramref name="classes"/> classes.</summary>
    public ConfusionMatrix(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ClassCount = classes;
        counts = new long[classes * classes];
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Number of samples counted.</summary>
    public long Total { get; private set; }

    /// <summary>How many samples of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => counts[(CheckClass(actual, nameof(actual)) * ClassCount) + CheckClass(predicted, nameof(predicted))];

    /// <summary>Fraction of samples on the diagonal.</summary>
    public double Accuracy
    {
        get
        {
            long correct = 0;
            for (var c = 0; c < ClassCount; c++)
            {
                correct += counts[(c * ClassCount) + c];
            }

            return Total == 0 ? 0 : (double)correct / Total;
        }
    }

    /// <summary>Counts one sample.</summary>
    public void Add(int actual, int predicted)
    {
        counts[(CheckClass(actual, nameof(actual)) * ClassCount) + CheckClass(predicted, nameof(predicted))]++;
        Total++;
    }

    /// <summary>Counts a batch of multi-class outputs (<c>labels.Length × ClassCount</c>), predicting each sample's argmax.</summary>
    public void AddOutputs(ReadOnlySpan<float> outputs, ReadOnlySpan<int> labels)
    {
        var batch = Metrics.Accuracy.CheckOutputs(outputs, labels, ClassCount);
        for (var i = 0; i < batch; i++)
        {
            Add(labels[i], Metrics.Accuracy.ArgMax(outputs.Slice(i * ClassCount, ClassCount)));
        }
    }

    /// <summary>Counts a batch of one-output scores: predicted 1 when above <paramref name="threshold"/>. Needs a 2-class matrix.</summary>
    public void AddBinary(ReadOnlySpan<float> outputs, ReadOnlySpan<int> labels, float threshold = 0.5f)
    {
        if (ClassCount != 2)
        {
            throw new InvalidOperationException($"Binary outputs need a 2-class confusion matrix; this one has {ClassCount} classes.");
        }

        Metrics.Accuracy.CheckBinary(outputs, labels);
        for (var i = 0; i < labels.Length; i++)
        {
            Add(labels[i], outputs[i] > threshold ? 1 : 0);
        }
    }

    /// <summary>Precision, recall, F1 and support of class <paramref name="c"/>.</summary>
    public ClassScores Scores(int c)
    {
        CheckClass(c, nameof(c));
        long predicted = 0, actual = 0;
        for (var other = 0; other < ClassCount; other++)
        {
            predicted += counts[(other * ClassCount) + c];
            actual += counts[(c * ClassCount) + other];
        }

        long truePositives = counts[(c * ClassCount) + c];
        var falsePositives = predicted - truePositives;
        var falseNegatives = actual - truePositives;
        return new ClassScores(
            Ratio(truePositives, predicted),
            Ratio(truePositives, actual),
            Ratio(2 * truePositives, (2 * truePositives) + falsePositives + falseNegatives),
            actual);
    }

    /// <summary>The unweighted mean of every class's scores (sklearn's "macro avg"), with the total support.</summary>
    public ClassScores MacroAverage() => Average(weighted: false);

    /// <summary>The mean of every class's scores weighted by support (sklearn's "weighted avg").</summary>
    public ClassScores WeightedAverage() => Average(weighted: true);

    /// <summary>
    /// The matrix as an aligned table: one row per actual class, one column per predicted class,
    /// labelled with <paramref name="classNames"/> (default: the class indices).
    /// </summary>
    public string Render(IReadOnlyList<string>? classNames = null)
    {
        var names = ClassNames(classNames);
        const string corner = "actual \\ predicted";
        var rowHeaderWidth = corner.Length;
        foreach (var name in names)
        {
            rowHeaderWidth = Math.Max(rowHeaderWidth, name.Length);
        }

        var columnWidths = new int[ClassCount];
        for (var p = 0; p < ClassCount; p++)
        {
            columnWidths[p] = names[p].Length;
            for (var a = 0; a < ClassCount; a++)
            {
                columnWidths[p] = Math.Max(columnWidths[p], this[a, p].ToString(CultureInfo.InvariantCulture).Length);
            }
        }

        var text = new StringBuilder();
        text.Append(corner.PadRight(rowHeaderWidth));
        for (var p = 0; p < ClassCount; p++)
        {
            text.Append("  ").Append(names[p].PadLeft(columnWidths[p]));
        }

        text.Append('\n');
        for (var a = 0; a < ClassCount; a++)
        {
            text.Append(names[a].PadRight(rowHeaderWidth));
            for (var p = 0; p < ClassCount; p++)
            {
                text.Append("  ").Append(this[a, p].ToString(CultureInfo.InvariantCulture).PadLeft(columnWidths[p]));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Checks <paramref name="classNames"/> has one name per class, or makes index names.</summary>
    internal string[] ClassNames(IReadOnlyList<string>? classNames)
    {
        if (classNames is null)
        {
            var indices = new string[ClassCount];
            for (var c = 0; c < ClassCount; c++)
            {
                indices[c] = c.ToString(CultureInfo.InvariantCulture);
            }

            return indices;
        }

        if (classNames.Count != ClassCount)
        {
            throw new ArgumentException($"Expected {ClassCount} class names, got {classNames.Count}.", nameof(classNames));
        }

        var names = new string[ClassCount];
        for (var c = 0; c < ClassCount; c++)
        {
            names[c] = classNames[c] ?? throw new ArgumentException($"classNames[{c}] is null.", nameof(classNames));
        }

        return names;
    }

    private ClassScores Average(bool weighted)
    {
        double precision = 0, recall = 0, f1 = 0;
        for (var c = 0; c < ClassCount; c++)
        {
            var scores = Scores(c);
            double weight = weighted ? scores.Support : 1;
            precision += weight * scores.Precision;
            recall += weight * scores.Recall;
            f1 += weight * scores.F1;
        }

        double total = weighted ? Total : ClassCount;
        return new ClassScores(Ratio(precision, total), Ratio(recall, total), Ratio(f1, total), Total);
    }

    private static double Ratio(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;

    private int CheckClass(int c, string name) =>
        (uint)c < (uint)ClassCount ? c : throw new ArgumentOutOfRangeException(name, c, $"Class {c} is outside [0, {ClassCount}).");
}
