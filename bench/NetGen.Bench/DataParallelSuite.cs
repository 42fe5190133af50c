using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NetGen.Data;
using NetGen.Distributed;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen.Bench;

/// <summary>
/// Data-parallel training on one machine: <c>Trainer.Fit</c> of the MNIST CNN with batch 64 in
/// one process with 2 compute threads against 2 MPI processes with 1 thread each (32 samples a rank a
/// step), with the gradient all-reduced after backward or in 64 KiB buckets during it (overlap), and what
/// one all-reduce of the CNN's gradient costs between the two processes.
/// </summary>
internal static partial class DataParallelSuite
{
    /// <summary>The argument that makes this program one rank of the 2-process run.</summary>
    public const string RankArgument = "--data-parallel-rank";
    private const string Launcher = "/usr/bin/mpiexec.mpich";
    private const int Batch = 64;
    private const int StepsPerEpoch = 60;
    private const int AllReduceRepeats = 200;
    // 64 KiB: the CNN's 434 KB gradient in 7 buckets, the first started after the output and hidden layers' backward.
    private const int OverlapBucketBytes = 64 << 10;
    // Runs with and without overlap alternate, so a burst of load on the shared machine hits both alike.
    private const int OverlapPairs = 3;
    // The default bucket holds the whole gradient: one all-reduce after backward.
    private const int AfterBackward = TrainerOptions.DefaultAllReduceBucketBytes;

    public static IReadOnlyList<Measurement> Run()
    {
        var alone = SamplesPerSecond(null, AfterBackward);
        var measurements = new List<Measurement> { new("cnn_fit_b64, 1 process × 2 threads", 2, alone, "samples/s") };
        if (!File.Exists(Launcher))
        {
            Console.WriteLine($"{Launcher} is missing (apt-get install mpich): the 2-process figures are not measured.");
            return measurements;
        }

        var start = new ProcessStartInfo(Launcher) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-np", "2", "dotnet", typeof(DataParallelSuite).Assembly.Location, RankArgument })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_PROCESSOR_COUNT"] = "1";
        using var ranks = Process.Start(start)!;
        var output = ranks.StandardOutput.ReadToEnd();
        ranks.WaitForExit();
        var result = RankResult().Match(output);
        if (ranks.ExitCode != 0 || !result.Success)
        {
            throw new InvalidOperationException($"The 2-process run exited with {ranks.ExitCode}:\n{output}");
        }

        measurements.Add(new("cnn_fit_b64, 2 processes × 1 thread", 2, Number(result, "samples"), "samples/s"));
        measurements.Add(new("cnn_fit_b64, 2 processes × 1 thread, overlap (64 KiB buckets)", 2, Number(result, "overlap"), "samples/s"));
        measurements.Add(new("cnn_allreduce_gradients (108,618 floats)", 2, Number(result, "allreduce"), "µs", LowerIsBetter: true));
        measurements.Add(new("cnn_step_on_one_rank (32 samples, no exchange)", 1, Number(result, "step"), "µs", LowerIsBetter: true));
        return measurements;
    }

    /// <summary>The figures as a markdown table, with the 2-process throughput as a ratio of the 1-process one.</summary>
    public static string Table(IReadOnlyList<Measurement> measurements)
    {
        var lines = new List<string> { "| benchmark | value |", "|---|---:|" };
        lines.AddRange(measurements.Select(m => string.Create(CultureInfo.InvariantCulture, $"| {m.Bench} | {m.Value:N0} {m.Unit} |")));
        if (measurements.Count > 1)
        {
            lines.Add(string.Empty);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"2 processes / 1 process: {measurements[1].Value / measurements[0].Value:0.00}×; with overlap / without: {measurements[2].Value / measurements[1].Value:0.00}×; one all-reduce is {measurements[3].Value / measurements[4].Value:P0} of a rank's step without it."));
        }

        return string.Join('\n', lines) + "\n";
    }

    /// <summary>One rank of the 2-process run: rank 0 prints the line <see cref="Run"/> parses.</summary>
    public static int RunRank()
    {
        using var communicator = MpiCommunicator.Initialize(TimeSpan.FromMinutes(2));
        var (samplesPerSecond, overlapped) = MedianPairs(communicator);

        var gradients = new float[new BenchCnn().Parameters.Length];
        for (var i = 0; i < 10; i++)
        {
            communicator.AllReduceSum(gradients, "warm-up");
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < AllReduceRepeats; i++)
        {
            communicator.AllReduceSum(gradients, "gradients");
        }

        var allReduce = clock.Elapsed.TotalMicroseconds / AllReduceRepeats;
        var step = StepMicroseconds();
        if (communicator.Rank == 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"samples {samplesPerSecond} overlap {overlapped} allreduce {allReduce} step {step}"));
        }

        return 0;
    }

    /// <summary>The medians of <see cref="OverlapPairs"/> alternating runs without overlap (one bucket) and with it.</summary>
    private static (double Plain, double Overlapped) MedianPairs(ICommunicator communicator)
    {
        var plain = new double[OverlapPairs];
        var overlapped = new double[OverlapPairs];
        for (var i = 0; i < OverlapPairs; i++)
        {
            plain[i] = SamplesPerSecond(communicator, AfterBackward);
            overlapped[i] = SamplesPerSecond(communicator, OverlapBucketBytes);
        }

        Array.Sort(plain);
        Array.Sort(overlapped);
        return (plain[OverlapPairs / 2], overlapped[OverlapPairs / 2]);
    }

    /// <summary>Samples per second of the second of two epochs of Fit (the first warms up), over all ranks.</summary>
    private static double SamplesPerSecond(ICommunicator? communicator, int bucketBytes)
    {
        var model = new BenchCnn();
        var loader = new DataLoader(RandomImages.Instance, new DataLoaderOptions { BatchSize = Batch, Seed = 1, ShardIndex = communicator?.Rank ?? 0, ShardCount = communicator?.Size ?? 1 });
        var history = Trainer.Fit(model, new Adam(model, 1e-3f), loader, null, new TrainerOptions { Epochs = 2, Communicator = communicator, Output = TextWriter.Null, AllReduceBucketBytes = bucketBytes });
        return Batch * StepsPerEpoch / history.Epochs[^1].Seconds;
    }

    /// <summary>One rank's share of a step alone (32 samples, forward, backward, Adam), in µs: what an exchange could hide behind.</summary>
    private static double StepMicroseconds()
    {
        var model = new BenchCnn();
        var optimizer = new Adam(model, 1e-3f);
        var inputs = new float[(Batch / 2) * model.InputSize];
        var labels = new int[Batch / 2];
        for (var i = 0; i < 10; i++)
        {
            model.TrainStep(inputs, labels);
            optimizer.Step(model);
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 50; i++)
        {
            model.TrainStep(inputs, labels);
            optimizer.Step(model);
        }

        return clock.Elapsed.TotalMicroseconds / 50;
    }

    private static double Number(Match match, string group) => double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"samples (?<samples>[0-9.E+-]+) overlap (?<overlap>[0-9.E+-]+) allreduce (?<allreduce>[0-9.E+-]+) step (?<step>[0-9.E+-]+)")]
    private static partial Regex RankResult();

    /// <summary>Fixed random 28×28 images, held in memory so the loader costs a copy per sample.</summary>
    private sealed class RandomImages : IDataset
    {
        public static readonly RandomImages Instance = new();
        private readonly float[] _pixels = new float[Batch * StepsPerEpoch * 784];

        private RandomImages()
        {
            var random = new SeededRandom(11);
            for (var i = 0; i < _pixels.Length; i++)
            {
                _pixels[i] = random.NextSingle();
            }
        }

        public int Count => Batch * StepsPerEpoch;

        public IReadOnlyList<int> SampleShape => [1, 28, 28];

        public int ClassCount => 10;

        public int Read(int index, Span<float> input, ulong augmentationSeed)
        {
            _pixels.AsSpan(index * 784, 784).CopyTo(input);
            return index % 10;
        }
    }
}
