using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace NetGen.Training;

/// <summary>
/// Writes one epoch's progress: a bar redrawn in place for terminals, or a plain line at every 10%
/// of the epoch for logs; then a summary line. Rates and ETA come from a wall clock started with
/// the epoch.
/// </summary>
internal sealed class ProgressReporter
{
    private const int BarWidth = 24;
    private static readonly TimeSpan BarRedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TextWriter output;
    private readonly ProgressMode mode;
    private readonly string epochLabel;
    private readonly long totalSamples;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan lastRedraw = -BarRedrawInterval;
    private int tenthsReported;

    public ProgressReporter(TextWriter output, ProgressMode mode, int epoch, int epochs, long totalSamples)
    {
        this.output = output;
        this.mode = mode;
        this.totalSamples = totalSamples;
        epochLabel = $"Epoch {epoch}/{epochs}";
    }

    /// <summary>The console is a terminal exactly when its output is not redirected.</summary>
    public static ProgressMode Resolve(ProgressMode mode, bool writerIsConsole) =>
        mode != ProgressMode.Auto ? mode : writerIsConsole && !Console.IsOutputRedirected ? ProgressMode.Bar : ProgressMode.Lines;

    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>Reports <paramref name="samplesDone"/> samples so far with the running mean loss and accuracy.</summary>
    public void Update(long samplesDone, double loss, double? accuracy)
    {
        var elapsed = clock.Elapsed;
        var finished = samplesDone >= totalSamples;
        if (mode == ProgressMode.Bar && (finished || elapsed - lastRedraw >= BarRedrawInterval))
        {
            lastRedraw = elapsed;
            var filled = (int)(BarWidth * samplesDone / totalSamples);
            var bar = new string('=', filled) + (filled < BarWidth ? ">" + new string(' ', BarWidth - filled - 1) : string.Empty);
            output.Write(Invariant($"\r{epochLabel} [{bar}] {samplesDone}/{totalSamples} {Rate(samplesDone, elapsed)} ETA {Eta(samplesDone, elapsed)} loss {loss:F4}{Accuracy(accuracy)}"));
        }
        else if (mode == ProgressMode.Lines)
        {
            var tenths = (int)(10 * samplesDone / totalSamples);
            if (tenths > tenthsReported)
            {
                tenthsReported = tenths;
                output.WriteLine(Invariant($"{epochLabel} {tenths * 10,3}% {samplesDone}/{totalSamples} {Rate(samplesDone, elapsed)} ETA {Eta(samplesDone, elapsed)} loss {loss:F4}{Accuracy(accuracy)}"));
            }
        }
    }

    /// <summary>The end-of-epoch summary, ending the bar's line first.</summary>
    public void EndEpoch(EpochMetrics metrics)
    {
        if (mode == ProgressMode.Bar)
        {
            output.WriteLine();
        }

        var validation = metrics.ValidationLoss is { } validationLoss
            ? Invariant($" val_loss {validationLoss:F4}{(metrics.ValidationAccuracy is { } validationAccuracy ? Invariant($" val_acc {validationAccuracy:F4}") : string.Empty)}")
            : string.Empty;
        foreach (var (name, value) in metrics.Metrics)
        {
            validation += Invariant($" {name} {value:F4}");
        }

        output.WriteLine(Invariant($"{epochLabel} done in {metrics.Seconds:F1}s: loss {metrics.TrainLoss:F4}{Accuracy(metrics.TrainAccuracy)}{validation} lr {metrics.LearningRate:G6}"));
        output.Flush();
    }

    private static string Rate(long samples, TimeSpan elapsed) =>
        Invariant($"{(elapsed.TotalSeconds > 0 ? samples / elapsed.TotalSeconds : 0):F0} samples/s");

    private string Eta(long samples, TimeSpan elapsed)
    {
        var remaining = samples == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(elapsed.TotalSeconds * (totalSamples - samples) / samples);
        return remaining.ToString(remaining.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>The accuracy part of a line; regressors have none.</summary>
    private static string Accuracy(double? accuracy) => accuracy is { } value ? Invariant($" acc {value:F4}") : string.Empty;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
