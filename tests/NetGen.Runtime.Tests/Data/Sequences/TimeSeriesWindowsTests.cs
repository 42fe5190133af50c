using System;
using System.Linq;
using NetGen.Data;
using NetGen.Data.Sequences;
using Xunit;

namespace NetGen.Runtime.Tests.Data.Sequences;

/// <summary>Sliding windows over a series: which rows each sample reads, the count, and errors naming the argument.</summary>
public sealed class TimeSeriesWindowsTests
{
    // Two features: row r is (r, 100 + r), so every value says which row and feature it came from.
    private static readonly float[] TwoFeatures = [.. Enumerable.Range(0, 10).SelectMany(r => new float[] { r, 100 + r })];

    [Fact]
    public void Each_sample_is_the_window_before_its_target_rows_and_the_target_feature_from_them_on()
    {
        var windows = new TimeSeriesWindows(TwoFeatures, features: 2, window: 3, horizon: 2, stride: 2, targetFeature: 1);

        // Target rows 3, 5, 7 (row 9 would need row 10 for its horizon).
        Assert.Equal(3, windows.Count);
        Assert.Equal([3, 2], windows.SampleShape);
        Assert.Equal(2, windows.TargetSize);
        Assert.Equal([3, 5, 7], Enumerable.Range(0, windows.Count).Select(windows.TargetRow));
        var input = new float[6];
        var target = new float[2];
        Assert.Equal(0, windows.Read(1, input, augmentationSeed: 0));
        windows.ReadTarget(1, target);
        Assert.Equal([2, 102, 3, 103, 4, 104], input);
        Assert.Equal([105, 106], target);
    }

    [Fact]
    public void A_target_range_keeps_the_targets_inside_it_and_lets_the_inputs_reach_back()
    {
        var windows = new TimeSeriesWindows(TwoFeatures, features: 2, window: 4, targets: 6..9);

        Assert.Equal([6, 7, 8], Enumerable.Range(0, windows.Count).Select(windows.TargetRow));
        var input = new float[8];
        windows.Read(0, input, 0);
        Assert.Equal([2, 102, 3, 103, 4, 104, 5, 105], input);
    }

    [Fact]
    public void The_data_loader_batches_the_windows_with_their_targets()
    {
        float[] series = [.. Enumerable.Range(0, 8).Select(i => (float)i)];
        var windows = new TimeSeriesWindows(series, features: 1, window: 2);
        var batch = new DataLoader(windows, new DataLoaderOptions { BatchSize = 6, Shuffle = false }).Epoch(0).Single();

        Assert.Equal([0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6], batch.Inputs.ToArray());
        Assert.Equal([2, 3, 4, 5, 6, 7], batch.Targets.ToArray());
    }

    [Theory]
    [InlineData(11, 1, 1, 0, "window")]
    [InlineData(10, 1, 1, 0, "window")]
    [InlineData(0, 1, 1, 0, "window")]
    [InlineData(3, 0, 1, 0, "horizon")]
    [InlineData(3, 1, 0, 0, "stride")]
    [InlineData(3, 1, 1, 2, "targetFeature")]
    public void A_bad_argument_is_an_error_naming_it(int window, int horizon, int stride, int targetFeature, string argument)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new TimeSeriesWindows(TwoFeatures, 2, window, horizon, stride, targetFeature));

        Assert.Equal(argument, error.ParamName);
    }

    [Fact]
    public void A_window_longer_than_the_series_says_how_many_rows_it_needs()
    {
        var error = Assert.Throws<ArgumentException>(() => new TimeSeriesWindows(TwoFeatures, features: 2, window: 9, horizon: 2));

        Assert.Equal("window", error.ParamName);
        Assert.StartsWith("A window of 9 rows and a horizon of 2 need 11 rows, but the series has 10.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_range_no_window_fits_is_an_error_naming_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new TimeSeriesWindows(TwoFeatures, features: 2, window: 5, targets: 0..5));

        Assert.Equal("targets", error.ParamName);
        Assert.Contains("targets in rows [0, 5) need 5 rows before the first target row", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_series_that_is_not_whole_rows_or_not_finite_is_an_error_naming_it()
    {
        var ragged = Assert.Throws<ArgumentException>(() => new TimeSeriesWindows([1, 2, 3], features: 2, window: 1));
        var missing = Assert.Throws<ArgumentException>(() => new TimeSeriesWindows([1, float.NaN, 3, 4], features: 1, window: 1));

        Assert.Equal(("series", "series"), (ragged.ParamName, missing.ParamName));
        Assert.Contains("NaN at row 1", missing.Message, StringComparison.Ordinal);
    }
}
