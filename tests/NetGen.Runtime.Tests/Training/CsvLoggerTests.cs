using System;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Optimizers;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>CsvLogger's file, History.ReadCsv reading it back, and ModelCheckpoint's initial threshold for resumed runs.</summary>
public sealed class CsvLoggerTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("netgen-csv-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void LogOfAFitReadsBackAsItsHistoryAndAResumedRunAppends()
    {
        var path = Path.Combine(directory, "history.csv");
        var model = new BlobClassifier();
        var adam = new Adam(model, 0.05f);
        DataLoader Loader() => new(new BlobDataset(48, 3, 4, 1), new DataLoaderOptions { BatchSize = 16, Seed = 3, Workers = 1 });
        TrainerOptions Options(int from, int to, bool append) => new()
        {
            InitialEpoch = from,
            Epochs = to,
            Output = TextWriter.Null,
            Progress = ProgressMode.EpochsOnly,
            Callbacks = [new CsvLogger(path, append)],
        };

        var first = Trainer.Fit(model, adam, Loader(), new BlobDataset(12, 3, 4, 2), Options(0, 2, append: false));
        var resumed = Trainer.Fit(model, adam, Loader(), new BlobDataset(12, 3, 4, 2), Options(2, 3, append: true));
        var logged = History.ReadCsv(path);

        Assert.Equal([.. first.Epochs, .. resumed.Epochs], logged.Epochs);
        Assert.True(logged.HasValidation);
    }

    [Fact]
    public void MetricColumnsRoundTripAndAppendingWithOtherColumnsIsRefused()
    {
        var path = Path.Combine(directory, "history.csv");
        var model = new BlobClassifier();
        var loader = new DataLoader(new BlobDataset(48, 3, 4, 1), new DataLoaderOptions { BatchSize = 16, Seed = 3, Workers = 1 });
        var options = new TrainerOptions { Epochs = 2, Output = TextWriter.Null, Progress = ProgressMode.EpochsOnly, Metrics = [EvaluationMetric.Recall], Callbacks = [new CsvLogger(path)] };

        var history = Trainer.Fit(model, new Adam(model), loader, new BlobDataset(12, 3, 4, 2), options);
        var error = Assert.Throws<InvalidDataException>(() =>
            Trainer.Fit(model, new Adam(model), loader, new BlobDataset(12, 3, 4, 2), options with { InitialEpoch = 2, Epochs = 3, Metrics = [], Callbacks = [new CsvLogger(path, append: true)] }));

        Assert.Equal(CsvLogger.Header + ",val_recall", File.ReadLines(path).First());
        Assert.Equal(history.Epochs, History.ReadCsv(path).Epochs);
        Assert.Contains("its columns are 'epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds,val_recall' but this run logs 'epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds'", error.Message);
    }

    [Fact]
    public void UnmeasuredValidationAndADivergedLossSurviveTheRoundTrip()
    {
        var path = Path.Combine(directory, "history.csv");
        var epoch = new EpochMetrics(5, double.NaN, 0.25, null, null, 1e-3, 1.5);
        File.WriteAllText(path, CsvLogger.Header + "\n" + CsvLogger.Line(epoch) + "\n");

        Assert.Equal("5,NaN,0.25,,,0.001,1.5", CsvLogger.Line(epoch));
        Assert.Equal([epoch], History.ReadCsv(path).Epochs);
    }

    [Theory]
    [InlineData("epoch,loss\n1,0.5\n", "is not a training log")]
    [InlineData(CsvLogger.Header + "\n1,0.5,0.5,0.4,0.6,0.001\n", "line 2 has 6 fields, not the 7")]
    [InlineData(CsvLogger.Header + "\n1,0.5,high,0.4,0.6,0.001,2\n", "line 2: 'high' in column accuracy is not a number")]
    [InlineData(CsvLogger.Header + "\n0,0.5,0.5,0.4,0.6,0.001,2\n", "line 2: epoch '0' is not a number from 1")]
    public void MalformedLogIsRejectedNamingFileAndLine(string text, string fragment)
    {
        var path = Path.Combine(directory, "history.csv");
        File.WriteAllText(path, text);

        var error = Assert.Throws<InvalidDataException>(() => History.ReadCsv(path));

        Assert.Contains(path, error.Message);
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void CheckpointWithAnInitialThresholdSavesOnlyABetterEpoch()
    {
        var path = Path.Combine(directory, "best.safetensors");
        var model = new BlobClassifier();
        var context = new TrainingContext(model, new Adam(model), new History(), TextWriter.Null);
        var checkpoint = new ModelCheckpoint(path, Metric.ValidationAccuracy, initialValueThreshold: 0.9);

        checkpoint.OnEpochEnd(context, new EpochMetrics(5, 0.3, 0.9, 0.3, 0.85, 1e-3, 1));
        Assert.False(File.Exists(path));
        checkpoint.OnEpochEnd(context, new EpochMetrics(6, 0.3, 0.9, 0.3, 0.95, 1e-3, 1));

        Assert.Equal(6, checkpoint.SavedEpoch);
        Assert.Equal("6", NetGen.Checkpoints.Checkpoint.ReadMetadata(path)["epoch"]);
    }
}
