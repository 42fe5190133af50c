using System;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>Central finite differences in float64, and the relative error used to compare gradients.</summary>
internal static class FiniteDifferences
{
    /// <summary>∂loss/∂values[i] for every i, by central differences with step <paramref name="h"/>.</summary>
    public static double[] Gradient(double[] values, Func<double> loss, double h = 1e-6)
    {
        var gradient = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var original = values[i];
            values[i] = original + h;
            var up = loss();
            values[i] = original - h;
            var down = loss();
            values[i] = original;
            gradient[i] = (up - down) / (2 * h);
        }

        return gradient;
    }

    /// <summary>
    /// ∂loss/∂values[i] for every float32 value in place (a generated network's parameters or inputs), by
    /// central differences with step <paramref name="h"/>: float32 end to end, so a larger step than float64's.
    /// </summary>
    public static double[] Gradient(Span<float> values, Func<double> loss, float h = 1e-2f)
    {
        var gradient = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var original = values[i];
            values[i] = original + h;
            var up = loss();
            values[i] = original - h;
            var down = loss();
            values[i] = original;
            gradient[i] = (up - down) / (2 * h);
        }

        return gradient;
    }

    /// <summary>The values widened to float64, for comparing float32 gradients.</summary>
    public static double[] Widen(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }

        return result;
    }

    /// <summary>‖a − b‖ / max(‖a‖ + ‖b‖, tiny): 0 for equal vectors, scale-free otherwise.</summary>
    public static double RelativeError(ReadOnlySpan<double> analytic, ReadOnlySpan<double> numeric)
    {
        double difference = 0, sum = 0;
        for (var i = 0; i < analytic.Length; i++)
        {
            difference += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
            sum += (analytic[i] * analytic[i]) + (numeric[i] * numeric[i]);
        }

        return Math.Sqrt(difference) / Math.Max(Math.Sqrt(sum), 1e-300);
    }

    public static double[] Random(int length, SeededRandom random, double scale = 1.0)
    {
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = scale * ((2 * random.NextDouble()) - 1);
        }

        return values;
    }
}
