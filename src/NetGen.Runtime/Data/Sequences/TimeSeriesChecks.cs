using System;

namespace NetGen.Data.Sequences;

/// <summary>The argument checks the series tools share, each error naming the argument at fault.</summary>
internal static class TimeSeriesChecks
{
    /// <summary>The number of rows of a finite, non-empty series laid out <c>[rows, features]</c>.</summary>
    public static int Rows(ReadOnlySpan<float> series, int features, string argument)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1, nameof(features));
        if (series.IsEmpty || series.Length % features != 0)
        {
            throw new ArgumentException($"{argument} holds {series.Length} values, which is not a whole, non-empty number of rows of {features} features.", argument);
        }

        for (var i = 0; i < series.Length; i++)
        {
            if (!float.IsFinite(series[i]))
            {
                throw new ArgumentException($"{argument} holds {series[i]} at row {i / features}, feature {i % features}; a series must be finite (fill or drop missing values first).", argument);
            }
        }

        return series.Length / features;
    }
}
