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
