using System;

namespace NetGen.Data.Sequences;

/// <summary>
/// A series cut in time into training, validation and test windows, standardised with statistics of
/// the training rows only (<see cref="Scaler"/>), in the order the data happened: the model is scored
/// on a future it has not seen, as it will be used. A shuffled split would let it interpolate between
/// neighbouring years it trained on, and statistics over all rows would leak the later level and spread
/// into training; both make the scores better than they will be.
/// </summary>
/// <param name="Train">Windows whose targets lie in the first rows (<see cref="ValidationStart"/> of them), every <c>stride</c> rows.</param>
/// <param name="Validation">Windows whose targets lie in rows [<see cref="ValidationStart"/>, <see cref="TestStart"/>), every row.</param>
/// <param name="Test">Windows whose targets lie in rows [<see cref="TestStart"/>, end), every row.</param>
/// <param name="Scaler">The standardisation fitted on the training rows; its <see cref="SeriesScaler.Inverse"/> gives predictions back in the data's units.</param>
/// <param name="ValidationStart">The first row of the validation part.</param>
/// <param name="TestStart">The first row of the test part.</param>
public sealed record TimeSeriesSplit(TimeSeriesWindows Train, TimeSeriesWindows Validation, TimeSeriesWindows Test, SeriesScaler Scaler, int ValidationStart, int TestStart)
{
    /// <summary>
    /// Cuts <paramref name="series"/> (<c>[rows, features]</c>, not changed) at
    /// <c>round(trainFraction × rows)</c> and <c>round((trainFraction + validationFraction) × rows)</c>,
    /// fits a <see cref="SeriesScaler"/> on the rows before the first cut, standardises a copy of the
    /// whole series with it and windows each part (<see cref="TimeSeriesWindows"/>). Validation and
    /// test windows step by one row, so every target in them is scored; their inputs reach back into the
    /// part before, which is history known at prediction time, not leakage.
    /// </summary>
    /// <exception cref="ArgumentException">An argument is out of range or leaves a part without a window (named in the message).</exception>
    public static TimeSeriesSplit Chronological(float[] series, int features, double trainFraction, double validationFraction, int window, int horizon = 1, int stride = 1, int targetFeature = 0)
    {
        ArgumentNullException.ThrowIfNull(series);
        var rows = TimeSeriesChecks.Rows(series, features, nameof(series));
        if (!(trainFraction > 0 && validationFraction > 0 && trainFraction + validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(trainFraction), (trainFraction, validationFraction), "The training and validation fractions must be positive and leave a test part (their sum below 1), e.g. 0.7 and 0.15.");
        }

        var validationStart = (int)Math.Round(trainFraction * rows, MidpointRounding.AwayFromZero);
        var testStart = (int)Math.Round((trainFraction + validationFraction) * rows, MidpointRounding.AwayFromZero);
        var scaler = SeriesScaler.Fit(series.AsSpan(0, validationStart * features), features);
        var standardised = (float[])series.Clone();
        scaler.Transform(standardised);
        return new TimeSeriesSplit(
            Part(standardised, features, window, horizon, stride, targetFeature, ..validationStart, "training"),
            Part(standardised, features, window, horizon, 1, targetFeature, validationStart..testStart, "validation"),
            Part(standardised, features, window, horizon, 1, targetFeature, testStart.., "test"),
            scaler,
            validationStart,
            testStart);
    }

    private static TimeSeriesWindows Part(float[] series, int features, int window, int horizon, int stride, int targetFeature, Range rows, string name)
    {
        var (start, length) = rows.GetOffsetAndLength(series.Length / features);
        return TimeSeriesWindows.NoWindowFits(window, horizon, start, start + length) is { } reason
            ? throw new ArgumentException($"No {name} window fits: {reason}. Use a smaller window or horizon, or a larger {name} fraction.", nameof(window))
            : new TimeSeriesWindows(series, features, window, horizon, stride, targetFeature, rows);
    }
}
