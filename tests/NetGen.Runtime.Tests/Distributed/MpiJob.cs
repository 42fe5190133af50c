using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace NetGen.Runtime.Tests.Distributed;

/// <summary>
/// Runs the MNIST sample as a test would from a shell: alone, or as several ranks under MPICH's
/// mpiexec or Open MPI's mpirun (one compute thread each, so two ranks fit the two cores of a small CI machine). Each job
/// carries a marker in its environment, which the ranks inherit, so a test can find a rank's process.
/// </summary>
internal sealed partial class MpiJob : IDisposable
{
    public const string Launcher = "/usr/bin/mpiexec.mpich";
    public const string OpenMpiLauncher = "/usr/bin/mpirun.openmpi";
    private const int SignalKill = 9;
    private const int SignalStop = 19;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _marker = Guid.NewGuid().ToString("N");

    private MpiJob(string program, IEnumerable<string> arguments, int computeThreads, (string Name, string Value)? variable = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NETGEN_TEST_JOB"] = _marker;
        if (variable is var (name, value))
        {
            start.Environment[name] = value;
        }

        start.Environment["DOTNET_PROCESSOR_COUNT"] = computeThreads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The sample as copied beside the tests by the project reference.</summary>
    public static string SampleDll => Path.Combine(AppContext.BaseDirectory, "Mnist.dll");

    /// <summary>What the job printed so far, standard output and error interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>One process with two compute threads.</summary>
    public static MpiJob Alone(params string[] sampleArguments) => new("dotnet", [SampleDll, .. sampleArguments], computeThreads: 2);

    /// <summary>One process given --distributed without a launcher, with the environment variable <paramref name="name"/> set.</summary>
    public static MpiJob AloneDistributed(string name, string value, params string[] sampleArguments) =>
        new("dotnet", [SampleDll, "--distributed", .. sampleArguments], computeThreads: 1, (name, value));

    /// <summary><paramref name="ranks"/> processes under mpiexec, each with one compute thread, given --distributed.</summary>
    public static MpiJob Distributed(int ranks, params string[] sampleArguments) =>
        new(Launcher, ["-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", SampleDll, "--distributed", .. sampleArguments], computeThreads: 1);

    /// <summary>
    /// <paramref name="ranks"/> processes under Open MPI's mpirun, given --distributed. Open MPI refuses to run as root
    /// and more ranks than cores without being told: CI runs as root on two cores.
    /// </summary>
    public static MpiJob DistributedOpenMpi(int ranks, params string[] sampleArguments) =>
        new(OpenMpiLauncher, ["--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", SampleDll, "--distributed", .. sampleArguments], computeThreads: 1);

    /// <summary>Waits for the job to end and returns its exit code; fails the test when it takes longer than <paramref name="limit"/>.</summary>
    public int Wait(TimeSpan limit)
    {
        if (!_process.WaitForExit(limit))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The job did not end within {limit.TotalSeconds} s; it printed:\n{Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>The process id of rank <paramref name="rank"/> of this job, read from /proc (MPICH's PMI_RANK).</summary>
    public int RankProcessId(int rank)
    {
        var wanted = new[] { "NETGEN_TEST_JOB=" + _marker, "PMI_RANK=" + rank };
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }

            try
            {
                var environment = File.ReadAllText(Path.Combine(folder, "environ")).Split('\0');
                if (wanted.All(environment.Contains))
                {
                    return pid;
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // A process that ended meanwhile, or another user's.
            }
        }

        throw new InvalidOperationException($"No process of this job has PMI_RANK={rank}; the job printed:\n{Output}");
    }

    public static void Stop(int pid) => Signal(pid, SignalStop);

    public static void Kill(int pid) => Signal(pid, SignalKill);

    /// <summary>Kills <paramref name="pid"/> if it still runs; gone already is fine.</summary>
    public static void KillIfRunning(int pid) => kill(pid, SignalKill);

    /// <summary>Waits until <paramref name="path"/> exists, failing the test after <paramref name="limit"/>.</summary>
    public void WaitForFile(string path, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            if (watch.Elapsed > limit || _process.HasExited)
            {
                throw new TimeoutException($"'{path}' did not appear within {limit.TotalSeconds} s; the job printed:\n{Output}");
            }

            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Signal(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
