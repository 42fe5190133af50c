using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace NetGen.Metrics;

/// <summary>A text report of per-class precision, recall, F1 and support, laid out as sklearn's classification_report.</summary>
public static class ClassificationReport
{
    private const string LongestHeading = "weighted avg";

    /// <summary>
    /// Renders <paramref name="matrix"/> as sklearn does: a row per class (every class, as when
    /// sklearn is given <c>labels</c>), then accuracy, macro and weighted averages, values rounded
    /// to <paramref name="digits"/> places exactly as Python's format rounds them.
    /// </summary>
    public static string Render(ConfusionMatrix matrix, IReadOnlyList<string>? classNames = null, int digits = 2)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentOutOfRangeException.ThrowIfNegative(digits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digits, 15);
        var names = matrix.ClassNames(classNames);
        var width = Math.Max(LongestHeading.Length, digits);
        foreach (var name in names)
        {
            width = Math.Max(width, name.Length);
        }

        var text = new StringBuilder();
        text.Append(string.Empty.PadLeft(width)).Append(' ');
        foreach (var header in new[] { "precision", "recall", "f1-score", "support" })
        {
            text.Append(' ').Append(header.PadLeft(9));
        }

        text.Append("\n\n");
        for (var c = 0; c < names.Length; c++)
        {
            Row(text, names[c], matrix.Scores(c), width, digits);
        }

        text.Append('\n');
        text.Append("accuracy".PadLeft(width)).Append(' ')
            .Append(' ', 20)
            .Append(' ').Append(Fixed(matrix.Accuracy, digits).PadLeft(9))
            .Append(' ').Append(matrix.Total.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
        Row(text, "macro avg", matrix.MacroAverage(), width, digits);
        Row(text, LongestHeading, matrix.WeightedAverage(), width, digits);
        return text.ToString();
    }

    private static void Row(StringBuilder text, string heading, ClassScores scores, int width, int digits)
    {
        text.Append(heading.PadLeft(width)).Append(' ');
        foreach (var value in new[] { scores.Precision, scores.Recall, scores.F1 })
        {
            text.Append(' ').Append(Fixed(value, digits).PadLeft(9));
        }

        text.Append(' ').Append(scores.Support.ToString(CultureInfo.InvariantCulture).PadLeft(9)).Append('\n');
    }

    /// <summary>
    /// Fixed-point text as Python's <c>f"{value:.{digits}f}"</c>: .NET rounds the exact binary value,
    /// exact halves to even (0.125 → "0.12"), just as Python does.
    /// </summary>
    private static string Fixed(double value, int digits) =>
        value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
