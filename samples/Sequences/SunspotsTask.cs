using System;
using System.IO;
using System.Linq;
using NetGen.Checkpoints;
using NetGen.Data;
using NetGen.Data.Sequences;
using NetGen.Optimizers;
using NetGen.Plots;
using NetGen.Prediction;
using NetGen.Training;

namespace NetGen.Samples.Sequences;

/// <summary>
/// <c>--task sunspots</c>: trains <see cref="SunspotGru"/> on the years up to 1915, keeps the epoch with the
/// best validation loss (1916–1962), and scores it on 1963–2008 against the naive forecast "next year
/// is like this year", in sunspot numbers.
/// </summary>
internal static class SunspotsTask
{
    /// <summary>The test mean absolute errors, in sunspot numbers, of the model and of the last-value baseline.</summary>
    public sealed record Result(double ModelMae, double BaselineMae, int TestYears, History History);

    public static Result Run(SequenceOptions options, TextWriter console)
    {
        var source = Path.Combine(options.DataDirectoryOrDefault, "sunspots.csv");
        var records = SunspotRecords.Read(source);
        var split = TimeSeriesSplit.Chronological(records.Activity, features: 1, trainFraction: 0.7, validationFraction: 0.15, window: SunspotGru.Years);
        var folder = Path.Combine(options.OutputDirectory, "sunspots");
        Directory.CreateDirectory(folder);
        var best = Path.Combine(folder, "best.safetensors");

        var model = new SunspotGru();
        var optimizer = new Adam(model, options.EffectiveLearningRate);
        var loader = new DataLoader(split.Train, new DataLoaderOptions { BatchSize = options.EffectiveBatchSize, Seed = options.Seed });
        console.WriteLine($"Sunspots from {source}: {records.Years[0]}–{records.Years[^1]}, forecasts from the {SunspotGru.Years} years before; "
            + $"{split.Train.Count} training, {split.Validation.Count} validation (from {records.Years[split.ValidationStart]}) and {split.Test.Count} test years (from {records.Years[split.TestStart]}), "
            + $"standardised with the training years' mean {split.Scaler.Mean(0):F1} and deviation {split.Scaler.StandardDeviation(0):F1}");
        console.WriteLine(model.Summary());
        var history = Trainer.Fit(model, optimizer, loader, split.Validation, new TrainerOptions
        {
            Epochs = options.EffectiveEpochs,
            Output = console,
            Progress = ProgressMode.EpochsOnly,
            Callbacks = [new ModelCheckpoint(best, Metric.ValidationLoss), new CsvLogger(Path.Combine(folder, "history.csv")), new TerminateOnNaN()],
        });
        TrainingCurves.WriteSvg(history, Path.Combine(folder, "curves.svg"));

        // Score the epoch that validated best, read back from its file.
        Checkpoint.Load(best, model);
        var (years, truth, forecast, lastValue) = Forecasts(model, split, records);
        var result = new Result(MeanAbsoluteError(forecast, truth), MeanAbsoluteError(lastValue, truth), years.Length, history);
        var plot = Path.Combine(folder, "forecast.svg");
        SeriesPlot.WriteSvg(plot, $"Sunspots, test years: GRU MAE {result.ModelMae:F1}, last value MAE {result.BaselineMae:F1}", "year", "sunspot number", years, [("truth", truth), ("GRU", forecast), ("last value", lastValue)]);
        console.WriteLine($"Test MAE over {years.Length} years ({years[0]}–{years[^1]}), in sunspot numbers: GRU {result.ModelMae:F2}, last-value baseline {result.BaselineMae:F2}");
        console.WriteLine($"{history.Epochs.Sum(e => e.Seconds) / history.Epochs.Count:F3} s per epoch; checkpoint {best}, plot {plot}");
        return result;
    }

    private static (double[] Years, double[] Truth, double[] Forecast, double[] LastValue) Forecasts(SunspotGru model, TimeSeriesSplit split, SunspotRecords records)
    {
        var test = split.Test;
        var inputs = new float[test.Count * SunspotGru.Years];
        for (var i = 0; i < test.Count; i++)
        {
            test.Read(i, inputs.AsSpan(i * SunspotGru.Years, SunspotGru.Years), augmentationSeed: 0);
        }

        var predicted = model.PredictBatch(inputs);
        var rows = Enumerable.Range(0, test.Count).Select(test.TargetRow).ToArray();
        return (
            [.. rows.Select(row => (double)records.Years[row])],
            [.. rows.Select(row => (double)records.Activity[row])],
            [.. Enumerable.Range(0, test.Count).Select(i => split.Scaler.Inverse(predicted[i, 0], feature: 0))],
            [.. rows.Select(row => (double)records.Activity[row - 1])]);
    }

    private static double MeanAbsoluteError(double[] predicted, double[] truth) => predicted.Zip(truth, (p, t) => Math.Abs(p - t)).Average();
}
