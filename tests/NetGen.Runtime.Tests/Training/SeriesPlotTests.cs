using System;
using System.IO;
using System.Text.RegularExpressions;
using NetGen.Plots;
using NetGen.Runtime.Tests.Data;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>SeriesPlot: one tagged line per series over the shared x axis, and errors naming the argument.</summary>
public sealed class SeriesPlotTests : IDisposable
{
    private readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Each_series_is_a_tagged_line_with_a_point_per_finite_value_and_a_legend_entry()
    {
        var path = folder.File("forecast.svg");

        SeriesPlot.WriteSvg(path, "Forecast", "year", "value", [2000, 2001, 2002, 2003], [("truth", [1, 3, 2, 4]), ("model", [1.5, double.NaN, 2, 3.5])]);

        var svg = File.ReadAllText(path);
        Assert.Equal(4, Points(svg, "truth").Length);
        Assert.Equal(3, Points(svg, "model").Length);
        Assert.Contains(">truth</text>", svg, StringComparison.Ordinal);
        Assert.Contains(">model</text>", svg, StringComparison.Ordinal);
        // The first x value is at the left edge of the plot, the last at the right.
        Assert.Equal(("70", "730"), (Points(svg, "truth")[0].Split(',')[0], Points(svg, "truth")[^1].Split(',')[0]));
    }

    [Fact]
    public void A_series_whose_length_differs_from_the_x_values_is_an_error_naming_it()
    {
        var error = Assert.Throws<ArgumentException>(() => SeriesPlot.WriteSvg(folder.File("bad.svg"), "t", "x", "y", [1, 2, 3], [("truth", [1, 2])]));

        Assert.Equal("series", error.ParamName);
        Assert.StartsWith("The series 'truth' has 2 values for 3 x values.", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("bad.svg")));
    }

    [Fact]
    public void Fewer_than_two_x_values_is_an_error_naming_them()
    {
        var error = Assert.Throws<ArgumentException>(() => SeriesPlot.WriteSvg(folder.File("bad.svg"), "t", "x", "y", [1], [("truth", [1])]));

        Assert.Equal("x", error.ParamName);
    }

    private static string[] Points(string svg, string series) =>
        Regex.Match(svg, $"data-series=\"{series}\"[^>]* points=\"([^\"]*)\"").Groups[1].Value.Split(' ');
}
