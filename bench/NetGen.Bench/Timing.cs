using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime;

namespace NetGen.Bench;

/// <summary>
/// The same protocol as ../shared/bench/torch_bench.py: warm up, calibrate iterations so one repeat
/// takes about <c>target</c> seconds, then time several repeats and keep the median seconds per iteration,
/// with the cores other processes used during the repeats. The warm-up also waits for the JIT (<see cref="WarmUp"/>),
/// which PyTorch's compiled kernels do not need.
/// </summary>
internal static class Timing
{
    /// <summary>
    /// Steps in a row without a JIT compilation before the warm-up may end: more than the 30 calls after which tiered
    /// compilation replaces a method (tier 0, then instrumented tier 1, then tier 1 with its profile), so a method the
    /// step calls once is seen through both promotions. At 170-300 ms a step (Chollet's convnet), a fixed one-second
    /// warm-up is 3-6 steps: up to 59 methods were then compiled during one of its timed repeats.
    /// </summary>
    private const int QuietSteps = 40;

    /// <summary>
    /// Seconds without a JIT compilation before the warm-up may end: tiered compilation waits 100 ms after the last
    /// tier-0 compilation before it promotes anything, then compiles in the background.
    /// </summary>
    private const double QuietSeconds = 0.3;

    /// <summary>A warm-up ends after this long even if the JIT still compiles, so a step that keeps compiling cannot hang the bench.</summary>
    private const double MaxWarmupSeconds = 60;

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

    /// <summary>Warms <paramref name="step"/> up (<see cref="WarmUp"/>), then returns how many iterations take about <paramref name="target"/> seconds.</summary>
    public static int Calibrate(Action step, double target, double warmup)
    {
        WarmUp(step, warmup);
        var clock = Stopwatch.StartNew();
        var calibration = 0;
        while (calibration < 2 || clock.Elapsed.TotalSeconds < Math.Min(0.1, target / 2))
        {
            step();
            calibration++;
        }

        return Math.Max(1, (int)Math.Round(target / (clock.Elapsed.TotalSeconds / calibration)));
    }

    /// <summary>
    /// Runs <paramref name="step"/> for at least <paramref name="warmup"/> seconds and until the JIT has compiled nothing
    /// for <see cref="QuietSteps"/> steps and <see cref="QuietSeconds"/>: until tiered compilation has replaced every
    /// method the step runs by its final code. A step first run on two cores also runs code it never ran on one (the
    /// worker pool's hand-offs, the parts of each split), which is compiled then, so each core count warms up anew.
    /// </summary>
    public static void WarmUp(Action step, double warmup)
    {
        var clock = Stopwatch.StartNew();
        var compiled = JitInfo.GetCompiledMethodCount();
        var (quietSteps, quietSince) = (0, 0.0);
        while (true)
        {
            step();
            quietSteps++;
            var now = clock.Elapsed.TotalSeconds;
            var count = JitInfo.GetCompiledMethodCount();
            if (count != compiled)
            {
                (compiled, quietSteps, quietSince) = (count, 0, now);
            }

            if ((now >= warmup && quietSteps >= QuietSteps && now - quietSince >= QuietSeconds) || now >= MaxWarmupSeconds)
            {
                return;
            }
        }
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
