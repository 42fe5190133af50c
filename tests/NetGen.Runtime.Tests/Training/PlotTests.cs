using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using NetGen.Metrics;
using NetGen.Plots;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>SVG plots are well-formed XML holding the expected series and cells.</summary>
public sealed class PlotTests : IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("netgen-plots-");

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public void TrainingCurvesHaveBothPanelsAndOnePointPerEpoch()
    {
        var history = new History();
        history.Add(new EpochMetrics(1, 1.2, 0.55, 1.1, 0.6, 0.01, 1));
        history.Add(new EpochMetrics(2, 0.7, 0.75, 0.8, 0.7, 0.01, 1));
        history.Add(new EpochMetrics(3, 0.4, 0.88, 0.6, 0.81, 0.005, 1));
        var path = Path.Combine(directory.FullName, "curves.svg");

        TrainingCurves.WriteSvg(history, path);

        var document = XDocument.Load(path);
        var series = document.Descendants(Svg + "polyline").ToDictionary(p => (string)p.Attribute("data-series")!, p => ((string)p.Attribute("points")!).Split(' '));
        Assert.Equal(new[] { "loss", "val_loss", "accuracy", "val_accuracy" }, series.Keys);
        Assert.All(series.Values, points => Assert.Equal(3, points.Length));
        var texts = document.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("Loss", texts);
        Assert.Contains("Accuracy", texts);
        Assert.Contains("epoch", texts);
        Assert.Contains("validation", texts);
        Assert.Contains("0.5", texts);
    }

    [Fact]
    public void TheLegendSitsBelowTheAxesWhereItCannotHideACurve()
    {
        // Accuracy ending high runs through the top right corner, where a legend inside the plot would sit.
        var history = new History();
        for (var epoch = 1; epoch <= 40; epoch++)
        {
            history.Add(new EpochMetrics(epoch, 1.0 - (epoch / 50.0), 0.5 + (epoch / 80.0), 1.1 - (epoch / 60.0), 0.5 + (epoch / 90.0), 0.01, 1));
        }

        var path = Path.Combine(directory.FullName, "curves.svg");

        TrainingCurves.WriteSvg(history, path);

        var document = XDocument.Load(path);
        var lowestPoint = document.Descendants(Svg + "polyline")
            .SelectMany(p => ((string)p.Attribute("points")!).Split(' '))
            .Max(point => double.Parse(point.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture));
        var xAxisLabels = document.Descendants(Svg + "text").Where(t => t.Value == "epoch").Select(t => (double)t.Attribute("y")!).ToList();
        var legend = document.Descendants(Svg + "text").Where(t => t.Value is "train" or "validation").ToList();
        Assert.Equal(4, legend.Count);
        Assert.All(legend, label => Assert.True((double)label.Attribute("y")! > xAxisLabels.Max() && xAxisLabels.Max() > lowestPoint, $"legend at y = {label.Attribute("y")}, axis label at {xAxisLabels.Max()}"));
        Assert.Single(document.Descendants(Svg + "rect"));
    }

    [Fact]
    public void ConfusionMatrixShowsEveryCountWithEscapedClassNames()
    {
        var matrix = new ConfusionMatrix(3);
        matrix.Add(0, 0);
        matrix.Add(0, 0);
        matrix.Add(1, 2);
        matrix.Add(2, 2);
        var path = Path.Combine(directory.FullName, "confusion.svg");

        ConfusionMatrixPlot.WriteSvg(matrix, ["cat", "dog", "<bird&co>"], path);

        var document = XDocument.Load(path);
        var titles = document.Descendants(Svg + "title").Select(t => t.Value).ToList();
        Assert.Equal(9, titles.Count);
        Assert.Contains("actual cat, predicted cat: 2", titles);
        Assert.Contains("actual dog, predicted <bird&co>: 1", titles);
        Assert.Contains("<bird&co>", document.Descendants(Svg + "text").Select(t => t.Value));
    }

    [Fact]
    public void ClassNamesMustMatchTheMatrix()
    {
        var error = Assert.Throws<ArgumentException>(() => ConfusionMatrixPlot.WriteSvg(new ConfusionMatrix(2), ["a"], Path.Combine(directory.FullName, "x.svg")));

        Assert.Contains("1 class names for a 2-class confusion matrix", error.Message);
    }
}
