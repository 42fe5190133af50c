using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen.Bench;

/// <summary>
/// TrainerOptions.CacheFrozenFeatures against the same training without it, on <see cref="BenchFrozenCnn"/>
/// (the MNIST CNN with its convolutions [Frozen]) and real MNIST: seconds per epoch, and Fit's whole time.
/// </summary>
internal static class FrozenFeatureSuite
{
    private const int Epochs = 5;

    public static string Run(string mnistDirectory)
    {
        var train = MnistDataset.Load(mnistDirectory, MnistSplit.Train);
        var validation = MnistDataset.Load(mnistDirectory, MnistSplit.Test);
        var lines = new[] { false, true }.Select(cache => Row(cache, train, validation)).ToList();
        return "| feature cache | Fit, 5 epochs | before the first epoch | per epoch (mean of epochs 2–5) | final validation accuracy |\n|---|---|---|---|---|\n" + string.Join("\n", lines) + "\n";
    }

    private static string Row(bool cache, IDataset train, IDataset validation)
    {
        var model = new BenchFrozenCnn();
        var clock = Stopwatch.StartNew();
        var history = Trainer.Fit(model, new Adam(model, 1e-3f), new DataLoader(train, new DataLoaderOptions { BatchSize = 64, Seed = 1 }), validation, new TrainerOptions { Epochs = Epochs, CacheFrozenFeatures = cache, Output = TextWriter.Null });
        var total = clock.Elapsed.TotalSeconds;
        var epochs = history.Epochs.Sum(e => e.Seconds);
        return $"| {(cache ? "on" : "off")} | {total:F1} s | {total - epochs:F1} s | {history.Epochs.Skip(1).Average(e => e.Seconds):F2} s | {history.Epochs[^1].ValidationAccuracy:P2} |";
    }
}
