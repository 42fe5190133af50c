using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace NetGen.Bench;

/// <summary>
/// The cores other processes kept busy during a measurement, as torch_bench.py reports it: the machine's busy
/// time (/proc/stat) minus this process's own CPU time, over the wall time. Figures taken under load say so.
/// </summary>
internal sealed class MachineLoad
{
    private readonly long _busyTicks = BusyTicks();
    private readonly TimeSpan _own = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly long _start = Stopwatch.GetTimestamp();

    /// <summary>Cores used by other processes since construction (NaN where /proc/stat is missing).</summary>
    public double OtherCores()
    {
        var wall = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        var busy = (BusyTicks() - _busyTicks) / 100.0; // USER_HZ is 100 on Linux
        var own = (Process.GetCurrentProcess().TotalProcessorTime - _own).TotalSeconds;
        return _busyTicks < 0 ? double.NaN : Math.Max(0, busy - own) / wall;
    }

    /// <summary>
    /// Waits, up to <paramref name="limit"/>, until other processes have kept under 0.1 cores busy for a whole
    /// second, and returns the cores they used in the last second. `dotnet run` builds the bench first, and the
    /// build servers it leaves behind (MSBuild nodes, the compiler server) went on using 0.14-0.61 cores during
    /// the first timed rows, the 1-core ones. On 2026-12-01 two runs started that way read those rows up to a
    /// third below the per-layer profile of the same step later in the run (MNIST CNN 16,607 against 25,114
    /// samples/s; Chollet's 139 against 176 too, at 0.01 other cores, so the servers are not the whole story),
    /// and a run started after `dotnet build-server shutdown` agreed with it (23,369 against 24,852; 171 against 179).
    /// </summary>
    public static double WaitForQuiet(TimeSpan limit)
    {
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            var load = new MachineLoad();
            System.Threading.Thread.Sleep(1000);
            var others = load.OtherCores();
            if (double.IsNaN(others) || others < 0.1 || Stopwatch.GetElapsedTime(start) >= limit)
            {
                return others;
            }
        }
    }

    // The first line of /proc/stat: "cpu user nice system idle iowait irq softirq steal ..."; busy is all but idle and iowait.
    private static long BusyTicks()
    {
        if (!File.Exists("/proc/stat"))
        {
            return -1;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return fields.Take(8).Sum() - fields[3] - fields[4];
    }
}
