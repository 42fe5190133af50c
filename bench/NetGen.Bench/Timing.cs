using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace NetGen.Bench;

/// <summary>
/// The same protocol as ../shared/bench/torch_bench.py: warm up, calibrate iterations so one repeat
/// takes about <c>target</c> seconds, then time several repeats and keep the median seconds per iteration,
/// with the cores other processes used during the repeats.
/// </summary>
internal static class Timing
{
    public static (double Seconds, double OtherCores) MedianSecondsPerIteration(Action step, double target, int repeats, double warmup)
    {
        var iterations = Calibrate(step, target, warmup);
        var times = new List<double>();
        var load = new MachineLoad();
        for (var r = 0; r < repeats; r++)
        {
            times.Add(SecondsPerIteration(step, iterations));
        }

        return (times.OrderBy(t => t).ElementAt(times.Count / 2), load.OtherCores());
    }

    /// <summary>Warms <paramref name="step"/> up, then returns how many iterations take about <paramref name="target"/> seconds.</summary>
    public static int Calibrate(Action step, double target, double warmup)
    {
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < 3 || clock.Elapsed.TotalSeconds < warmup; n++)
        {
            step();
        }

        clock.Restart();
        var calibration = 0;
        while (calibration < 2 || clock.Elapsed.TotalSeconds < Math.Min(0.1, target / 2))
        {
            step();
            calibration++;
        }

        return Math.Max(1, (int)Math.Round(target / (clock.Elapsed.TotalSeconds / calibration)));
    }

    /// <summary>One repeat: the mean seconds of <paramref name="iterations"/> back-to-back runs of <paramref name="step"/>.</summary>
    public static double SecondsPerIteration(Action step, int iterations)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            step();
        }

        return clock.Elapsed.TotalSeconds / iterations;
    }
}
