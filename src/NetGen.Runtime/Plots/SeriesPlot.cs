using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace NetGen.Plots;

/// <summary>Plots series over a shared x axis as SVG lines, e.g. a forecaster's predictions against the truth over the test years.</summary>
public static class SeriesPlot
{
    private const double Width = 760, Height = 400, Left = 70, Top = 40, PlotWidth = 660, PlotHeight = 270;
    private static readonly string[] Colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"];

    /// <summary>
    /// Writes the <paramref name="series"/> (each as many values as <paramref name="x"/>) to
    /// <paramref name="path"/> (atomically): one line each in its own colour (the second and later
    /// dashed), a <c>polyline</c> with a <c>data-series</c> attribute holding its name, and a legend.
    /// </summary>
    /// <exception cref="ArgumentException">No series, more than five, fewer than two x values, or a series whose length differs from <paramref name="x"/>'s (named in the message).</exception>
    public static void WriteSvg(string path, string title, string xLabel, string yLabel, IReadOnlyList<double> x, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(series);
        if (x.Count < 2 || series.Count == 0 || series.Count > Colours.Length)
        {
            throw new ArgumentException($"A plot takes at least 2 x values ({x.Count} given) and 1 to {Colours.Length} series ({series.Count} given).", x.Count < 2 ? nameof(x) : nameof(series));
        }

        foreach (var (name, values) in series)
        {
            if (values.Count != x.Count)
            {
                throw new ArgumentException($"The series '{name}' has {values.Count} values for {x.Count} x values.", nameof(series));
            }
        }

        var all = series.SelectMany(s => s.Values).Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        var yTicks = AxisTicks.For(all.Min(), Math.Max(all.Max(), all.Min() + 1));
        var xTicks = AxisTicks.For(x.Min(), x.Max()).Where(t => t >= x.Min() && t <= x.Max()).ToList();
        double xLow = x.Min(), xHigh = x.Max(), yLow = yTicks[0], yHigh = yTicks[^1];
        double X(double value) => Left + ((value - xLow) / (xHigh - xLow) * PlotWidth);
        double Y(double value) => Top + PlotHeight - ((value - yLow) / (yHigh - yLow) * PlotHeight);

        var svg = new SvgWriter(Width, Height);
        svg.Text(Left + (PlotWidth / 2), 24, title, extra: " font-size=\"15\" font-weight=\"bold\"");
        foreach (var tick in yTicks)
        {
            svg.Line(Left, Y(tick), Left + PlotWidth, Y(tick), "#e0e0e0");
            svg.Text(Left - 8, Y(tick) + 4, tick.ToString("G4", CultureInfo.InvariantCulture), anchor: "end");
        }

        foreach (var tick in xTicks)
        {
            svg.Line(X(tick), Top + PlotHeight, X(tick), Top + PlotHeight + 5, "black");
            svg.Text(X(tick), Top + PlotHeight + 18, tick.ToString("G6", CultureInfo.InvariantCulture));
        }

        svg.Line(Left, Top, Left, Top + PlotHeight, "black");
        svg.Line(Left, Top + PlotHeight, Left + PlotWidth, Top + PlotHeight, "black");
        svg.Text(Left + (PlotWidth / 2), Top + PlotHeight + 38, xLabel);
        svg.Text(18, Top + (PlotHeight / 2), yLabel, extra: SvgWriter.Invariant($" transform=\"rotate(-90 18 {Top + (PlotHeight / 2)})\""));

        var legendX = Left;
        for (var s = 0; s < series.Count; s++)
        {
            var points = new StringBuilder();
            for (var i = 0; i < x.Count; i++)
            {
                // A non-finite value (a diverged prediction) is left out of the line rather than drawn off the axes.
                if (double.IsFinite(series[s].Values[i]))
                {
                    points.Append(SvgWriter.Invariant($"{X(x[i]):0.##},{Y(series[s].Values[i]):0.##} "));
                }
            }

            svg.Polyline(series[s].Name, Colours[s], points.ToString().TrimEnd(), dashed: s > 0);
            // Below the axis, never over the lines.
            svg.Line(legendX, Top + PlotHeight + 58, legendX + 24, Top + PlotHeight + 58, Colours[s], 2, dashed: s > 0);
            svg.Text(legendX + 30, Top + PlotHeight + 62, series[s].Name, anchor: "start");
            legendX += 40 + (7 * series[s].Name.Length);
        }

        svg.Save(path);
    }
}
