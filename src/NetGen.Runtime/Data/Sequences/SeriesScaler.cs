using System;

namespace NetGen.Data.Sequences;

/// <summary>
/// Per-feature standardisation of a series, <c>(x − mean) / std</c>, as scikit-learn's
/// <c>StandardScaler</c>. Fit it on the training part only (see <see cref="TimeSeriesSplit"/>): statistics
/// taken over validation or test values would leak their level into training and flatter the scores.
/// </summary>
public sealed class SeriesScaler
{
    private readonly double[] means;
    private readonly double[] deviations;

    private SeriesScaler(double[] means, double[] deviations)
    {
        this.means = means;
        this.deviations = deviations;
    }

    /// <summary>Number of features the scaler was fitted on.</summary>
    public int Features => means.Length;

    /// <summary>
    /// The mean and (population) standard deviation of each feature over the rows of
    /// <paramref name="series"/>, laid out <c>[rows, features]</c>. A feature that is constant over
    /// those rows gets a deviation of 1, so it is only centred instead of divided by zero.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="series"/> is empty, not whole rows, or holds a value that is not finite.</exception>
    public static SeriesScaler Fit(ReadOnlySpan<float> series, int features)
    {
        var rows = TimeSeriesChecks.Rows(series, features, nameof(series));
        var means = new double[features];
        var deviations = new double[features];
        for (var f = 0; f < features; f++)
        {
            var sum = 0.0;
            for (var r = 0; r < rows; r++)
            {
                sum += series[(r * features) + f];
            }

            var mean = sum / rows;
            var squares = 0.0;
            for (var r = 0; r < rows; r++)
            {
                var d = series[(r * features) + f] - mean;
                squares += d * d;
            }

            var deviation = Math.Sqrt(squares / rows);
            means[f] = mean;
            deviations[f] = deviation > 0 ? deviation : 1;
        }

        return new SeriesScaler(means, deviations);
    }

    /// <summary>The mean of <paramref name="feature"/> over the fitted rows.</summary>
    public double Mean(int feature) => means[CheckFeature(feature)];

    /// <summary>The standard deviation of <paramref name="feature"/> over the fitted rows (1 for a constant feature).</summary>
    public double StandardDeviation(int feature) => deviations[CheckFeature(feature)];

    /// <summary>Standardises <paramref name="series"/> (<c>[rows, Features]</c>) in place.</summary>
    /// <exception cref="ArgumentException"><paramref name="series"/> is not whole rows of <see cref="Features"/> values.</exception>
    public void Transform(Span<float> series)
    {
        var rows = TimeSeriesChecks.Rows(series, Features, nameof(series));
        for (var r = 0; r < rows; r++)
        {
            for (var f = 0; f < Features; f++)
            {
                ref var value = ref series[(r * Features) + f];
                value = (float)((value - means[f]) / deviations[f]);
            }
        }
    }

    /// <summary>A standardised value of <paramref name="feature"/> back in the data's units.</summary>
    public double Inverse(double value, int feature) => (value * deviations[CheckFeature(feature)]) + means[feature];

    private int CheckFeature(int feature) =>
        (uint)feature < (uint)Features ? feature : throw new ArgumentOutOfRangeException(nameof(feature), feature, $"The scaler was fitted on {Features} features.");
}
