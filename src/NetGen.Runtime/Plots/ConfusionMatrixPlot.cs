using System;
using System.Collections.Generic;
using System.Globalization;
using NetGen.Metrics;

namespace NetGen.Plots;

/// <summary>Draws a <see cref="ConfusionMatrix"/> as an SVG heat map: rows are actual classes, columns predicted, counts in the cells.</summary>
public static class ConfusionMatrixPlot
{
    private const double Cell = 48, Left = 110, Top = 70;

    /// <summary>
    /// Writes <paramref name="matrix"/> to <paramref name="path"/> (atomically). Cell shade is the
    /// count relative to the largest count, so the diagonal stands out; each cell shows its count
    /// and has a tooltip naming the pair.
    /// </summary>
    public static void WriteSvg(ConfusionMatrix matrix, IReadOnlyList<string> classNames, string path)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (classNames.Count != matrix.ClassCount)
        {
            throw new ArgumentException($"{classNames.Count} class names for a {matrix.ClassCount}-class confusion matrix.", nameof(classNames));
        }

        var n = matrix.ClassCount;
        long largest = 1;
        for (var actual = 0; actual < n; actual++)
        {
            for (var predicted = 0; predicted < n; predicted++)
            {
                largest = Math.Max(largest, matrix[actual, predicted]);
            }
        }

        var svg = new SvgWriter(Left + (n * Cell) + 20, Top + (n * Cell) + 20);
        svg.Text(Left + (n * Cell / 2), 20, "Predicted", extra: " font-weight=\"bold\"");
        svg.Text(18, Top + (n * Cell / 2), "Actual", extra: SvgWriter.Invariant($" font-weight=\"bold\" transform=\"rotate(-90 18 {Top + (n * Cell / 2)})\""));
        for (var c = 0; c < n; c++)
        {
            svg.Text(Left + (c * Cell) + (Cell / 2), Top - 10, classNames[c]);
            svg.Text(Left - 8, Top + (c * Cell) + (Cell / 2) + 4, classNames[c], anchor: "end");
        }

        for (var actual = 0; actual < n; actual++)
        {
            for (var predicted = 0; predicted < n; predicted++)
            {
                var count = matrix[actual, predicted];
                var shade = (double)count / largest;
                var x = Left + (predicted * Cell);
                var y = Top + (actual * Cell);
                svg.Rect(x, y, Cell, Cell, Blue(shade), $"actual {classNames[actual]}, predicted {classNames[predicted]}: {count}");
                svg.Text(x + (Cell / 2), y + (Cell / 2) + 4, count.ToString(CultureInfo.InvariantCulture), fill: shade > 0.5 ? "white" : "black");
            }
        }

        svg.Save(path);
    }

    /// <summary>White at 0 to dark blue at 1.</summary>
    private static string Blue(double shade)
    {
        var red = (int)Math.Round(255 - (shade * (255 - 8)));
        var green = (int)Math.Round(255 - (shade * (255 - 48)));
        var blue = (int)Math.Round(255 - (shade * (255 - 107)));
        return $"#{red:x2}{green:x2}{blue:x2}";
    }
}
