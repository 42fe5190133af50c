using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using NetGen.Training;

namespace NetGen.Plots;

/// <summary>Plots a <see cref="History"/> as SVG: a loss panel and an accuracy panel, train vs validation per epoch.</summary>
public static class TrainingCurves
{
    private const double PanelWidth = 420, PanelHeight = 320, Left = 60, Top = 40, PlotWidth = 330, PlotHeight = 200;
    private const string TrainColour = "#1f77b4", ValidationColour = "#ff7f0e";

    /// <summary>
    /// Writes the curves of <paramref name="history"/> to <paramref name="path"/> (atomically). Each
    /// series is a <c>polyline</c> with a <c>data-series</c> attribute (<c>loss</c>, <c>val_loss</c>,
    /// <c>accuracy</c>, <c>val_accuracy</c>); epochs are numbered from 1 as in the progress output.
    /// Non-finite values (a diverged epoch) are left out of the lines.
    /// </summary>
    public static void WriteSvg(History history, string path)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (history.Epochs.Count == 0)
        {
            throw new ArgumentException("The history has no epochs to plot.", nameof(history));
        }

        var svg = new SvgWriter(2 * PanelWidth, PanelHeight);
        var epochs = history.Epochs;
        Panel(svg, 0, "Loss", epochs, e => e.TrainLoss, e => e.ValidationLoss, "loss", fixedRange: null);
        // A regressor has no accuracy: NaN, like a diverged epoch, is left out, so its panel stays empty.
        Panel(svg, PanelWidth, "Accuracy", epochs, e => e.TrainAccuracy ?? double.NaN, e => e.ValidationAccuracy, "accuracy", fixedRange: (0, 1));
        svg.Save(path);
    }

    private static void Panel(SvgWriter svg, double offsetX, string title, IReadOnlyList<EpochMetrics> epochs, Func<EpochMetrics, double> train, Func<EpochMetrics, double?> validation, string series, (double Min, double Max)? fixedRange)
    {
        var values = epochs.Select(train).Concat(epochs.Select(validation).OfType<double>()).Where(double.IsFinite).ToList();
        var (min, max) = fixedRange ?? (values.Count == 0 ? (0, 1) : (Math.Min(0, values.Min()), values.Max()));
        var yTicks = AxisTicks.For(min, max);
        var xTicks = AxisTicks.For(1, Math.Max(2, epochs[^1].Epoch)).Where(t => t == Math.Floor(t) && t >= 1).ToList();
        double yLow = yTicks[0], yHigh = yTicks[^1], xLow = 1, xHigh = Math.Max(xTicks[^1], epochs[^1].Epoch);
        double X(double epoch) => offsetX + Left + ((epoch - xLow) / (xHigh - xLow) * PlotWidth);
        double Y(double value) => Top + PlotHeight - ((value - yLow) / (yHigh - yLow) * PlotHeight);

        svg.Text(offsetX + Left + (PlotWidth / 2), 24, title, extra: " font-size=\"15\" font-weight=\"bold\"");
        foreach (var tick in yTicks)
        {
            svg.Line(offsetX + Left, Y(tick), offsetX + Left + PlotWidth, Y(tick), "#e0e0e0");
            svg.Line(offsetX + Left - 5, Y(tick), offsetX + Left, Y(tick), "black");
            svg.Text(offsetX + Left - 8, Y(tick) + 4, tick.ToString("G4", System.Globalization.CultureInfo.InvariantCulture), anchor: "end");
        }

        foreach (var tick in xTicks)
        {
            svg.Line(X(tick), Top + PlotHeight, X(tick), Top + PlotHeight + 5, "black");
            svg.Text(X(tick), Top + PlotHeight + 18, tick.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        svg.Line(offsetX + Left, Top, offsetX + Left, Top + PlotHeight, "black");
        svg.Line(offsetX + Left, Top + PlotHeight, offsetX + Left + PlotWidth, Top + PlotHeight, "black");
        svg.Text(offsetX + Left + (PlotWidth / 2), Top + PlotHeight + 38, "epoch");
        svg.Text(offsetX + 16, Top + (PlotHeight / 2), title.ToLowerInvariant(), extra: SvgWriter.Invariant($" transform=\"rotate(-90 {offsetX + 16} {Top + (PlotHeight / 2)})\""));

        Series(svg, series, TrainColour, epochs.Select(e => ((double)e.Epoch, train(e))), X, Y, dashed: false);
        var hasValidation = epochs.Any(e => validation(e) is not null);
        if (hasValidation)
        {
            Series(svg, "val_" + series, ValidationColour, epochs.Where(e => validation(e) is not null).Select(e => ((double)e.Epoch, validation(e)!.Value)), X, Y, dashed: true);
        }

        // Below the axis, never over the lines: a corner inside the plot hides whatever curve runs there.
        Legend(svg, offsetX + Left + (PlotWidth / 2), Top + PlotHeight + 62, hasValidation);
    }

    private static void Series(SvgWriter svg, string name, string colour, IEnumerable<(double Epoch, double Value)> points, Func<double, double> x, Func<double, double> y, bool dashed)
    {
        var text = new StringBuilder();
        foreach (var (epoch, value) in points.Where(p => double.IsFinite(p.Value)))
        {
            text.Append(SvgWriter.Invariant($"{x(epoch):0.##},{y(value):0.##} "));
        }

        svg.Polyline(name, colour, text.ToString().TrimEnd(), dashed);
    }

    /// <summary>One row of line samples and names, centred on <paramref name="centreX"/>, text baseline at <paramref name="y"/>.</summary>
    private static void Legend(SvgWriter svg, double centreX, double y, bool hasValidation)
    {
        var x = hasValidation ? centreX - 90 : centreX - 30;
        svg.Line(x, y - 4, x + 24, y - 4, TrainColour, 2);
        svg.Text(x + 30, y, "train", anchor: "start");
        if (hasValidation)
        {
            x += 90;
            svg.Line(x, y - 4, x + 24, y - 4, ValidationColour, 2, dashed: true);
            svg.Text(x + 30, y, "validation", anchor: "start");
        }
    }
}
