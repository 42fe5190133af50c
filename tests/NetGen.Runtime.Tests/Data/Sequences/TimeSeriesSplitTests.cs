using System;
using System.Linq;
using NetGen.Data.Sequences;
using Xunit;

namespace NetGen.Runtime.Tests.Data.Sequences;

/// <summary>The chronological split: parts in time order, statistics from the training rows only.</summary>
public sealed class TimeSeriesSplitTests
{
    [Fact]
    public void The_parts_follow_each_other_in_time_and_score_every_later_target()
    {
        float[] series = [.. Enumerable.Range(0, 20).Select(i => (float)i)];

        var split = TimeSeriesSplit.Chronological(series, features: 1, trainFraction: 0.6, validationFraction: 0.2, window: 3, stride: 2);

        Assert.Equal((12, 16), (split.ValidationStart, split.TestStart));
        Assert.Equal([3, 5, 7, 9, 11], Enumerable.Range(0, split.Train.Count).Select(split.Train.TargetRow));
        Assert.Equal([12, 13, 14, 15], Enumerable.Range(0, split.Validation.Count).Select(split.Validation.TargetRow));
        Assert.Equal([16, 17, 18, 19], Enumerable.Range(0, split.Test.Count).Select(split.Test.TargetRow));
    }

    [Fact]
    public void The_scaler_is_fitted_on_the_training_rows_only_and_inverts_to_the_data_units()
    {
        // A trend: statistics over all rows would put the training rows below zero on average.
        float[] series = [.. Enumerable.Range(0, 10).Select(i => (float)(i * i))];

        var split = TimeSeriesSplit.Chronological(series, features: 1, trainFraction: 0.5, validationFraction: 0.2, window: 2);

        var training = series[..5].Select(v => (double)v).ToArray();
        var mean = training.Average();
        var deviation = Math.Sqrt(training.Select(v => (v - mean) * (v - mean)).Average());
        Assert.Equal(mean, split.Scaler.Mean(0), 1e-9);
        Assert.Equal(deviation, split.Scaler.StandardDeviation(0), 1e-6);
        var target = new float[1];
        split.Test.ReadTarget(0, target);
        Assert.Equal((49 - mean) / deviation, target[0], 1e-5);
        Assert.Equal(49, split.Scaler.Inverse(target[0], 0), 1e-4);
        Assert.Equal(0, series[0]);
    }

    [Fact]
    public void A_part_without_a_window_is_an_error_naming_the_part_and_the_window()
    {
        float[] series = [.. Enumerable.Range(0, 20).Select(i => (float)i)];

        var error = Assert.Throws<ArgumentException>(() => TimeSeriesSplit.Chronological(series, 1, 0.6, 0.2, window: 13));

        Assert.Equal("window", error.ParamName);
        Assert.StartsWith("No training window fits: targets in rows [0, 12) need 13 rows", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, 0.2)]
    [InlineData(0.8, 0.2)]
    [InlineData(0.7, 0.0)]
    public void Fractions_that_leave_a_part_empty_are_an_error(double train, double validation)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TimeSeriesSplit.Chronological(new float[20], 1, train, validation, window: 2));

        Assert.Equal("trainFraction", error.ParamName);
    }

    [Fact]
    public void A_constant_feature_is_centred_not_divided_by_zero()
    {
        var scaler = SeriesScaler.Fit([5, 1, 5, 2, 5, 3], features: 2);
        float[] values = [5, 2];

        scaler.Transform(values);

        Assert.Equal(1, scaler.StandardDeviation(0));
        Assert.Equal([0, 0], values);
    }
}
