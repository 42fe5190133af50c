using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using NetGen.Bench;

// Runs NetGen's benchmarks and the PyTorch reference in one session and prints the ratios.
//   dotnet run --project bench/NetGen.Bench -c Release -- [--quick] [--skip-torch] [--only mlp,cnn,chollet,lstm,sgemm] [--write docs/benchmarks.md]
// (with cnn or chollet among the suites, the per-layer profile of their training steps runs too and is written beside the table,
// and their training is timed on 1 and 2 cores alternately for the 2-core / 1-core ratio, a table of its own under the main one)
// or the per-layer profile alone:
//   dotnet run --project bench/NetGen.Bench -c Release -- --profile [--quick] [--write docs/benchmarks.md]
// or data-parallel training, 1 process against 2 MPI processes (docs/distributed.md):
//   dotnet run --project bench/NetGen.Bench -c Release -- --data-parallel [--write docs/benchmarks.md]
// or a frozen backbone trained without and with the feature cache (docs/guide.md §7):
//   dotnet run --project bench/NetGen.Bench -c Release -- --frozen-features [--write docs/benchmarks.md]
if (args.Contains(DataParallelSuite.RankArgument))
{
    return DataParallelSuite.RunRank();
}

var writeIndex = Array.IndexOf(args, "--write");
var markdown = writeIndex >= 0 && writeIndex + 1 < args.Length ? args[writeIndex + 1] : null;
var command = "dotnet run --project bench/NetGen.Bench -c Release -- " + string.Join(" ", args);
if (args.Contains("--data-parallel"))
{
    var parallelTable = DataParallelSuite.Table(DataParallelSuite.Run());
    Console.WriteLine(parallelTable);
    if (markdown is not null)
    {
        WriteSection(markdown, "data-parallel", $"## Data-parallel training on this machine\n\n" +
            $"Measured {DateTime.UtcNow:yyyy-MM-dd} with `{command}` ({Environment.ProcessorCount} cores, shared with other engineers' builds during the run, so the figures are noisy).\n" +
            "Both configurations use the same 2 cores; see [distributed.md](distributed.md) for what the numbers mean.\n\n" + parallelTable);
    }

    return 0;
}

if (args.Contains("--frozen-features"))
{
    var cacheTable = FrozenFeatureSuite.Run(Path.Combine(FindRepositoryRoot(), "..", "shared", "data", "mnist"));
    Console.WriteLine(cacheTable);
    if (markdown is not null)
    {
        WriteSection(markdown, "frozen-features", "## Frozen features cached\n\n" +
            $"Measured {DateTime.UtcNow:yyyy-MM-dd} with `{command}` ({Environment.ProcessorCount} cores, shared with other engineers' builds during the run, so the figures are noisy): " +
            "the MNIST CNN with its convolutions [Frozen], trained for 5 epochs on the 60,000 MNIST digits and validated on the 10,000 test digits, without and with `TrainerOptions.CacheFrozenFeatures` (guide §7).\n\n" + cacheTable);
    }

    return 0;
}

var quick = args.Contains("--quick");
var settings = quick ? Settings.Quick : Settings.Full;
Console.WriteLine($"Other processes' load before the first measurement: {MachineLoad.WaitForQuiet(TimeSpan.FromMinutes(2)):F2} cores (waited up to 2 min for under 0.1)");
var fmaPeak = FmaPeak.GflopsOneCore();
if (args.Contains("--profile"))
{
    WriteProfile(markdown, command, ProfileSuite.Run(settings, fmaPeak), fmaPeak);
    return 0;
}

var skipTorch = args.Contains("--skip-torch");
var onlyIndex = Array.IndexOf(args, "--only");
var only = onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1] : "mlp,cnn,chollet,lstm,sgemm";
var suites = only.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();

Console.WriteLine($"AVX-512 FMA peak, one core: {fmaPeak:F0} GFLOP/s; OpenBLAS: {(OpenBlas.IsAvailable ? Marshal.PtrToStringAnsi(OpenBlas.CoreName()) : "not installed (apt-get install libopenblas0-pthread)")} (pinning variables: {OpenBlas.Removed})");
var netgen = new List<Measurement>();
foreach (var threads in new[] { 1, 2 })
{
    netgen.AddRange(NetworkSuite.Run(threads, settings, suites));
    if (suites.Contains("sgemm"))
    {
        netgen.AddRange(SgemmSuite.Run(threads, settings));
    }
}

// The scaling target's ratio from 1-core and 2-core steps measured alternately, not from rows minutes apart.
var scaling = suites.Contains("cnn") || suites.Contains("chollet") ? "\n" + ScalingSuite.Run(settings, suites) : string.Empty;
var torchSuites = string.Join(",", suites.Where(s => s != "sgemm"));
var torch = skipTorch || torchSuites.Length == 0
    ? []
    : TorchReference.Run(Path.Combine(FindRepositoryRoot(), "..", "shared", "bench", "torch_bench.py"), quick, torchSuites);
var table = Report.Table(netgen, torch, fmaPeak) + scaling;
Console.WriteLine(table);

if (markdown is not null)
{
    WriteSection(markdown, "cpu-benchmarks", $"## CPU: NetGen against PyTorch {(torch.Count > 0 ? "1.13" : "(not run)")} on this machine\n\n" +
        $"Measured {DateTime.UtcNow:yyyy-MM-dd} with `{command}` ({Environment.ProcessorCount} cores; {RuntimeInformation.OSArchitecture}).\n" +
        $"Ratios are NetGen / reference throughput (reference / NetGen for latency), both measured in this one run; PyTorch's figure is the faster of its configurations at the same core count (the row names it); GFLOP/s are nominal (training 3 × 2 × multiply-adds a sample, inference 2 ×) and their fraction is of the FMA peak of the cores used; the load column gives the cores other processes kept busy while each side ran; OpenBLAS runs its {(OpenBlas.IsAvailable ? Marshal.PtrToStringAnsi(OpenBlas.CoreName()) : "(absent)")} kernels (pinning variables: {OpenBlas.Removed}). AVX-512 FMA peak measured here: {fmaPeak:F0} GFLOP/s per core.\n\n" +
        table);
}

if (suites.Contains("cnn") || suites.Contains("chollet"))
{
    WriteProfile(markdown, command, ProfileSuite.Run(settings, fmaPeak), fmaPeak);
}

return 0;

static void WriteProfile(string? markdown, string command, string profile, double fmaPeak)
{
    Console.WriteLine(profile);
    if (markdown is not null)
    {
        WriteSection(markdown, "profile", "## Where a training step's time goes, per layer\n\n" +
            $"Measured {DateTime.UtcNow:yyyy-MM-dd} with `{command}` ({Environment.ProcessorCount} cores, AVX-512 FMA peak {fmaPeak:F0} GFLOP/s per core), " +
            "by a `NetGen.Profiling.LayerProfiler` on the networks' `LayerPassHook` (see \"Profiling a step\" below). A layer's time runs from the end of the one before it; " +
            "FLOPs are nominal (a multiply-add counts 2; backward twice forward, once for the first layer, whose input needs no gradient); \"of peak\" is of the cores used.\n\n" +
            profile);
    }
}

// Replaces the section between <!-- name:start --> and <!-- name:end --> of the markdown file, or appends it.
static void WriteSection(string markdown, string name, string body)
{
    string start = $"<!-- {name}:start -->", end = $"<!-- {name}:end -->";
    var section = $"{start}\n{body}{end}";
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
