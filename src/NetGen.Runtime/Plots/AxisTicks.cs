using System;
using System.Collections.Generic;

namespace NetGen.Plots;

/// <summary>"Nice" axis ticks (1, 2 or 5 times a power of ten) covering a data range.</summary>
internal static class AxisTicks
{
    /// <summary>About <paramref name="target"/> evenly spaced round values from at or below <paramref name="min"/> to at or above <paramref name="max"/>.</summary>
    public static IReadOnlyList<double> For(double min, double max, int target = 5)
    {
        if (max <= min)
        {
            max = min + 1;
        }

        var raw = (max - min) / target;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = magnitude * (raw / magnitude <= 1 ? 1 : raw / magnitude <= 2 ? 2 : raw / magnitude <= 5 ? 5 : 10);
        var ticks = new List<double>();
        for (var tick = Math.Floor(min / step) * step; tick <= max + (step / 2); tick += step)
        {
            ticks.Add(Math.Round(tick, 10));
            if (tick >= max)
            {
                break;
            }
        }

        return ticks;
    }
}
