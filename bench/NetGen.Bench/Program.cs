using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using NetGen.Bench;

// Runs NetGen's benchmarks and the PyTorch reference in one session and prints the ratios.
//   dotnet run --project bench/NetGen.Bench -c Release -- [--quick] [--skip-torch] [--only mlp,cnn,chollet,lstm,sgemm] [--write docs/benchmarks.md]
var quick = args.Contains("--quick");
var skipTorch = args.Contains("--skip-torch");
var onlyIndex = Array.IndexOf(args, "--only");
var only = onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1] : "mlp,cnn,chollet,lstm,sgemm";
var writeIndex = Array.IndexOf(args, "--write");
var markdown = writeIndex >= 0 && writeIndex + 1 < args.Length ? args[writeIndex + 1] : null;
var suites = only.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
var settings = quick ? Settings.Quick : Settings.Full;

var fmaPeak = FmaPeak.GflopsOneCore();
Console.WriteLine($"AVX-512 FMA peak, one core: {fmaPeak:F0} GFLOP/s; OpenBLAS: {(OpenBlas.IsAvailable ? Marshal.PtrToStringAnsi(OpenBlas.CoreName()) : "not installed (apt-get install libopenblas0-pthread)")}");
var netgen = new List<Measurement>();
foreach (var threads in new[] { 1, 2 })
{
    netgen.AddRange(NetworkSuite.Run(threads, settings, suites));
    if (suites.Contains("sgemm"))
    {
        netgen.AddRange(SgemmSuite.Run(threads, settings));
    }
}

var torchSuites = string.Join(",", suites.Where(s => s != "sgemm"));
var torch = skipTorch || torchSuites.Length == 0
    ? []
    : TorchReference.Run(Path.Combine(FindRepositoryRoot(), "..", "shared", "bench", "torch_bench.py"), quick, torchSuites);
var table = Report.Table(netgen, torch, fmaPeak);
Console.WriteLine(table);

if (markdown is not null)
{
    const string start = "<!-- cpu-benchmarks:start -->", end = "<!-- cpu-benchmarks:end -->";
    var command = "dotnet run --project bench/NetGen.Bench -c Release -- " + string.Join(" ", args);
    var section = $"{start}\n## CPU: NetGen against PyTorch {(torch.Count > 0 ? "1.13" : "(not run)")} on this machine\n\n" +
        $"Measured {DateTime.UtcNow:yyyy-MM-dd} with `{command}` ({Environment.ProcessorCount} cores; {RuntimeInformation.OSArchitecture}).\n" +
        $"Ratios are NetGen / reference throughput (reference / NetGen for latency), both measured in this one run; PyTorch's figure is the faster of its configurations at the same core count. AVX-512 FMA peak measured here: {fmaPeak:F0} GFLOP/s per core.\n\n" +
        table + end;
    var existing = File.Exists(markdown) ? File.ReadAllText(markdown) : "# Benchmarks\n\n";
    var updated = existing.Contains(start, StringComparison.Ordinal)
        ? existing[..existing.IndexOf(start, StringComparison.Ordinal)] + section + existing[(existing.IndexOf(end, StringComparison.Ordinal) + end.Length)..]
        : existing.TrimEnd() + "\n\n" + section + "\n";
    File.WriteAllText(markdown, updated);
    Console.WriteLine($"Wrote {markdown}");
}

static string FindRepositoryRoot()
{
    for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "NetGen.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run the benchmarks from inside the NetGen repository.");
}
