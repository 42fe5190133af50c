using System;
using System.Collections.Generic;

namespace NetGen.Data.Sequences;

/// <summary>
/// Sliding windows over a float series, as Keras' <c>timeseries_dataset_from_array</c>: sample <c>i</c>
/// is the <c>window</c> rows before its target row <c>t</c> (input <c>[window, features]</c>, a sequence
/// for a recurrent layer) and the next <c>horizon</c> values of the target feature from <c>t</c> on
/// (target <c>[horizon]</c>, for MSE or MAE). Consecutive samples' target rows lie <c>stride</c> apart.
/// The series is held, not copied, and the dataset is read-only, so reads may run on any thread.
/// </summary>
/// <example><code>
/// // Yearly values: predict each year from the 5 before it.
/// var windows = new TimeSeriesWindows(values, features: 1, window: 5);
/// var loader = new DataLoader(windows, new DataLoaderOptions { BatchSize = 16 });
/// </code></example>
public sealed class TimeSeriesWindows : ITargetDataset
{
    private readonly float[] series;
    private readonly int features;
    private readonly int targetFeature;
    private readonly int firstTarget;
    private readonly int stride;
    private readonly int[] sampleShape;

    /// <summary>
    /// Windows over <paramref name="series"/>, laid out <c>[rows, features]</c>, whose target rows all
    /// lie in <paramref name="targets"/> (all rows when null); the input rows before them may lie outside
    /// it, as history that is known when the targets are predicted.
    /// </summary>
    /// <exception cref="ArgumentException">An argument is out of range (named in the message), or no window fits.</exception>
    public TimeSeriesWindows(float[] series, int features, int window, int horizon = 1, int stride = 1, int targetFeature = 0, Range? targets = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var rows = TimeSeriesChecks.Rows(series, features, nameof(series));
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        if ((uint)targetFeature >= (uint)features)
        {
            throw new ArgumentOutOfRangeException(nameof(targetFeature), targetFeature, $"The series has {features} features; the target feature must lie in [0, {features}).");
        }

        if ((long)window + horizon > rows)
        {
            throw new ArgumentException($"A window of {window} rows and a horizon of {horizon} need {(long)window + horizon} rows, but the series has {rows}.", nameof(window));
        }

        int start, length;
        try
        {
            (start, length) = (targets ?? Range.All).GetOffsetAndLength(rows);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new ArgumentOutOfRangeException(nameof(targets), targets, $"The target rows must lie within the series' {rows} rows.");
        }

        var first = Math.Max(start, window);
        var lastFirst = start + length - horizon;
        if (lastFirst < first)
        {
            throw new ArgumentException($"No window fits in the series' {rows} rows: {NoWindowFits(window, horizon, start, start + length)}.", nameof(targets));
        }

        this.series = series;
        this.features = features;
        this.targetFeature = targetFeature;
        this.stride = stride;
        firstTarget = first;
        Window = window;
        Horizon = horizon;
        Count = ((lastFirst - first) / stride) + 1;
        sampleShape = [window, features];
    }

    /// <summary>Rows in each input.</summary>
    public int Window { get; }

    /// <summary>Target values per sample: the target feature at this many rows from the target row on.</summary>
    public int Horizon { get; }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public IReadOnlyList<int> SampleShape => sampleShape;

    /// <inheritdoc/>
    public int ClassCount => 0;

    /// <inheritdoc/>
    public int TargetSize => Horizon;

    /// <summary>The row of sample <paramref name="index"/>'s first target (its input is the <see cref="Window"/> rows before it).</summary>
    public int TargetRow(int index) =>
        (uint)index < (uint)Count ? firstTarget + (index * stride) : throw new ArgumentOutOfRangeException(nameof(index), index, $"Sample {index} is outside the {Count} windows.");

    /// <summary>Why no window has its targets in rows [<paramref name="start"/>, <paramref name="end"/>); null when one does.</summary>
    internal static string? NoWindowFits(int window, int horizon, int start, int end) =>
        end - horizon >= Math.Max(start, window)
            ? null
            : $"targets in rows [{start}, {end}) need {window} rows before the first target row and {horizon} from it on";

    /// <inheritdoc/>
    public int Read(int index, Span<float> input, ulong augmentationSeed)
    {
        var row = TargetRow(index);
        series.AsSpan((row - Window) * features, Window * features).CopyTo(input);
        return 0;
    }

    /// <inheritdoc/>
    public void ReadTarget(int index, Span<float> target)
    {
        var row = TargetRow(index);
        for (var h = 0; h < Horizon; h++)
        {
            target[h] = series[((row + h) * features) + targetFeature];
        }
    }
}
