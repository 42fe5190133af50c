using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;

namespace NetGen.Bench;

/// <summary>
/// Runs ../shared/bench/torch_bench.py (Debian's python3-torch) in the same session and reads its
/// JSON: configs "1" (one thread) and "2b1" (two torch threads, one OpenBLAS thread: the reference's
/// best two-core setting), with OpenBLAS allowed its AVX-512 kernels.
/// </summary>
internal static class TorchReference
{
    public static IReadOnlyList<Measurement> Run(string script, bool quick, string only)
    {
        var output = Path.Combine(Path.GetTempPath(), $"netgen-torch-{Environment.ProcessId}.json");
        var arguments = $"\"{script}\" --configs 1,2b1 --openblas-coretype \"\" --out \"{output}\"" + (quick ? " --quick" : string.Empty) + (only.Length > 0 ? $" --only {only}" : string.Empty);
        var start = new ProcessStartInfo("/usr/bin/python3", arguments) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start /usr/bin/python3.");
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"torch_bench.py failed with exit code {process.ExitCode}; is python3-torch installed (apt-get install python3-torch)?");
        }

        using var json = JsonDocument.Parse(File.ReadAllText(output));
        File.Delete(output);
        var results = new List<Measurement>();
        foreach (var result in json.RootElement.GetProperty("results").EnumerateArray())
        {
            var bench = result.GetProperty("bench").GetString()!;
            var cores = result.GetProperty("threads").GetInt32();
            var blasThreads = result.GetProperty("blas_threads").GetInt32();
            var measurement = result.TryGetProperty("latency_us", out var latency)
                ? new Measurement(bench, cores, latency.GetProperty("median").GetDouble(), "µs", LowerIsBetter: true)
                : new Measurement(bench, cores, result.GetProperty("samples_per_s").GetProperty("median").GetDouble(), "samples/s");
            results.Add(measurement with
            {
                Gflops = result.GetProperty("gflops_median").GetDouble(),
                OtherCores = result.GetProperty("foreign_cpu_cores").GetDouble(),
                Configuration = $"config {result.GetProperty("config").GetString()}: {cores} torch thread{(cores == 1 ? string.Empty : "s")}, {blasThreads} OpenBLAS thread{(blasThreads == 1 ? string.Empty : "s")}",
            });
        }

        return results;
    }
}
