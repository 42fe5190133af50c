using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using NetGen.Checkpoints;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Optimizers;
using NetGen.Schedules;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>The training loop: history, accuracy, validation, progress output and argument checks.</summary>
public sealed class TrainerTests
{
    private static DataLoader Loader(IDataset dataset, int batchSize = 16, bool shuffle = true) =>
        new(dataset, new DataLoaderOptions { BatchSize = batchSize, Seed = 5, Shuffle = shuffle, Workers = 1 });

    private static TrainerOptions Quiet(int epochs) => new() { Epochs = epochs, Output = TextWriter.Null, Progress = ProgressMode.Lines };

    [Fact]
    public void FitLearnsSeparableBlobsAndRecordsEachEpoch()
    {
        var model = new BlobClassifier();

        var history = Trainer.Fit(model, new Adam(model, 0.05f), Loader(new BlobDataset(240, 3, 4, 1)), new BlobDataset(90, 3, 4, 2), Quiet(4));

        Assert.Equal(new[] { 1, 2, 3, 4 }, history.Epochs.Select(e => e.Epoch));
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss);
        Assert.True(history.Epochs[^1].ValidationAccuracy > 0.9, $"validation accuracy {history.Epochs[^1].ValidationAccuracy}");
        Assert.All(history.Epochs, e => Assert.Equal(0.05, e.LearningRate, 6));
        Assert.Null(history.StopReason);
    }

    [Fact]
    public void ValidationAccuracyAgreesWithAForwardPassOverTheSet()
    {
        var model = new BlobClassifier();
        var validation = new BlobDataset(50, 3, 4, 3, spread: 2f);

        var history = Trainer.Fit(model, new Adam(model, 0.01f), Loader(new BlobDataset(60, 3, 4, 4)), validation, Quiet(1) with { ValidationBatchSize = 7 });

        Assert.Equal(ManualAccuracy(model, validation, threshold: null), history.Epochs[0].ValidationAccuracy);
    }

    [Fact]
    public void BinaryAccuracyThresholdsProbabilitiesAtHalfAndLogitsAtZero()
    {
        var train = new BlobDataset(200, 2, 4, 5, spread: 2.5f);
        var validation = new BlobDataset(100, 2, 4, 6, spread: 2.5f);
        var sigmoid = new SigmoidBinary();
        var logit = new LogitBinary();

        var sigmoidHistory = Trainer.Fit(sigmoid, new Adam(sigmoid, 0.02f), Loader(train), validation, Quiet(2));
        var logitHistory = Trainer.Fit(logit, new Adam(logit, 0.02f), Loader(train), validation, Quiet(2));

        Assert.Equal(ManualAccuracy(sigmoid, validation, threshold: 0.5f), sigmoidHistory.Epochs[^1].ValidationAccuracy);
        Assert.Equal(ManualAccuracy(logit, validation, threshold: 0f), logitHistory.Epochs[^1].ValidationAccuracy);
        Assert.NotEqual(ManualAccuracy(logit, validation, threshold: 0.5f), logitHistory.Epochs[^1].ValidationAccuracy);
    }

    [Fact]
    public void PlainLinesReportEveryTenthOfTheEpochAndASummary()
    {
        var model = new BlobClassifier();
        var output = new StringWriter();

        Trainer.Fit(model, new Adam(model), Loader(new BlobDataset(160, 3, 4, 7)), new BlobDataset(30, 3, 4, 8), Quiet(2) with { Output = output });

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(22, lines.Length);
        var progress = new Regex(@"^Epoch [12]/2 +\d+% \d+/160 \d+ samples/s ETA \d+:\d\d loss \d+\.\d{4} acc [01]\.\d{4}$");
        Assert.All(lines.Where(l => !l.Contains("done", StringComparison.Ordinal)), line => Assert.Matches(progress, line));
        Assert.Matches(@"^Epoch 2/2 +100% 160/160 ", lines[20]);
        Assert.Matches(@"^Epoch 2/2 done in \d+\.\ds: loss \d+\.\d{4} acc [01]\.\d{4} val_loss \d+\.\d{4} val_acc [01]\.\d{4} lr 0\.001$", lines[21]);
        Assert.DoesNotContain('\r', output.ToString());
    }

    [Fact]
    public void ProgressHistoryCsvAndCallbacksNumberEpochsAlike()
    {
        var model = new BlobClassifier();
        var output = new StringWriter();
        var csv = Path.Combine(Path.GetTempPath(), $"netgen-epochs-{Guid.NewGuid():N}.csv");
        var recorder = new EpochRecorder();
        try
        {
            var history = Trainer.Fit(model, new Adam(model), Loader(new BlobDataset(32, 3, 4, 7)), null,
                Quiet(3) with { InitialEpoch = 1, Output = output, Progress = ProgressMode.EpochsOnly, Callbacks = [recorder, new CsvLogger(csv)] });

            var printed = Regex.Matches(output.ToString(), @"^Epoch (\d+)/3 done", RegexOptions.Multiline).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            var logged = File.ReadAllLines(csv).Skip(1).Select(line => int.Parse(line.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(new[] { 2, 3 }, printed);
            Assert.Equal(printed, history.Epochs.Select(e => e.Epoch));
            Assert.Equal(printed, logged);
            Assert.Equal(printed, recorder.Begun);
            Assert.Equal(printed, recorder.Ended);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public void RequestedMetricsAreMeasuredOnValidationEachEpochAndMonitorableByName()
    {
        var model = new BlobClassifier();
        var validation = new BlobDataset(45, 3, 4, 12, spread: 2.5f);
        var output = new StringWriter();
        var path = Path.Combine(Path.GetTempPath(), $"netgen-f1-{Guid.NewGuid():N}.safetensors");
        var checkpoint = new ModelCheckpoint(path, "val_f1", saveBestOnly: false, includeOptimizer: false);
        var stopping = new EarlyStopping("val_top_2_accuracy", patience: 5);
        try
        {
            var history = Trainer.Fit(model, new Adam(model, 0.02f), Loader(new BlobDataset(90, 3, 4, 11, spread: 2.5f)), validation,
                Quiet(2) with { Output = output, Progress = ProgressMode.EpochsOnly, Metrics = [EvaluationMetric.F1, EvaluationMetric.TopKAccuracy(2)], Callbacks = [checkpoint, stopping] });

            var last = history.Epochs[^1];
            var evaluated = model.Evaluate(validation, metrics: [EvaluationMetric.F1, EvaluationMetric.TopKAccuracy(2)]);
            Assert.Equal(new[] { "val_f1", "val_top_2_accuracy" }, last.Metrics.Keys.Order());
            Assert.Equal(evaluated.Metrics["f1"], last.Get("val_f1"));
            Assert.Equal(evaluated.Metrics["top_2_accuracy"], last.Get("val_top_2_accuracy"));
            Assert.Equal(evaluated.Accuracy, last.ValidationAccuracy);
            Assert.Equal(last.Get("val_f1")!.Value, double.Parse(Checkpoint.ReadMetadata(path)["val_f1"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(history.Epochs.MaxBy(e => e.Get("val_top_2_accuracy"))!.Epoch, stopping.BestEpoch);
            Assert.Matches(@"val_acc [01]\.\d{4} val_f1 [01]\.\d{4} val_top_2_accuracy [01]\.\d{4} lr", output.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MetricsWithoutValidationDataAndUnmeasuredMonitorsAreClearErrors()
    {
        var model = new BlobClassifier();
        var train = Loader(new BlobDataset(32, 3, 4, 1));

        var noValidation = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, new Adam(model), train, null, Quiet(1) with { Metrics = [EvaluationMetric.F1] }));
        var unmeasured = Assert.Throws<InvalidOperationException>(() => Trainer.Fit(model, new Adam(model), train, new BlobDataset(12, 3, 4, 2), Quiet(1) with { Callbacks = [new EarlyStopping("val_f1")] }));

        Assert.Equal("validation", noValidation.ParamName);
        Assert.Contains("TrainerOptions.Metrics (f1) are measured on validation data, but Fit was given none", noValidation.Message);
        Assert.Contains("EarlyStopping monitors val_f1, but Fit did not measure it", unmeasured.Message);
    }

    [Fact]
    public void BarRedrawsOneLineInPlace()
    {
        var model = new BlobClassifier();
        var output = new StringWriter();

        Trainer.Fit(model, new Adam(model), Loader(new BlobDataset(64, 3, 4, 9)), null, Quiet(1) with { Output = output, Progress = ProgressMode.Bar });

        var text = output.ToString();
        Assert.StartsWith("\rEpoch 1/1 [", text, StringComparison.Ordinal);
        Assert.Contains("[========================] 64/64 ", text, StringComparison.Ordinal);
        Assert.Matches(@"\r[^\r\n]+ loss \d+\.\d{4} acc [01]\.\d{4}" + Environment.NewLine + "Epoch 1/1 done", text);
    }

    [Fact]
    public void ModelCheckpointKeepsTheBestEpoch()
    {
        var directory = Directory.CreateTempSubdirectory("netgen-trainer-");
        try
        {
            var path = Path.Combine(directory.FullName, "best.safetensors");
            var model = new BlobClassifier();
            var checkpoint = new ModelCheckpoint(path, Metric.ValidationLoss);

            var history = Trainer.Fit(model, new Adam(model, 0.05f), Loader(new BlobDataset(96, 3, 4, 10)), new BlobDataset(30, 3, 4, 11, spread: 3f), Quiet(4) with { Callbacks = [checkpoint] });

            var best = history.Epochs.MinBy(e => e.ValidationLoss)!;
            Assert.Equal(best.Epoch, checkpoint.SavedEpoch);
            var metadata = Checkpoint.ReadMetadata(path);
            Assert.Equal(best.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), metadata["epoch"]);
            Assert.Equal(best.ValidationLoss, double.Parse(metadata["val_loss"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("Adam", metadata["netgen.optimizer"]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void RegressionModelsAndMismatchedDatasetsAreRejected()
    {
        var regressor = new Networks.TestRegressor();
        var classifier = new BlobClassifier();

        var loss = Assert.Throws<ArgumentException>(() => Trainer.Fit(regressor, new Adam(regressor), Loader(new BlobDataset(10, 2, 6, 1)), null, Quiet(1)));
        var classes = Assert.Throws<ArgumentException>(() => Trainer.Fit(classifier, new Adam(classifier), Loader(new BlobDataset(10, 2, 4, 1)), null, Quiet(1)));
        var features = Assert.Throws<ArgumentException>(() => Trainer.Fit(classifier, new Adam(classifier), Loader(new BlobDataset(10, 3, 4, 1)), new BlobDataset(10, 3, 5, 1), Quiet(1)));

        Assert.Contains("TestRegressor is trained with MeanSquaredError", loss.Message);
        Assert.Contains("has 2 classes but BlobClassifier (SoftmaxCrossEntropy, 3 outputs) predicts 3", classes.Message);
        Assert.Equal("validation", features.ParamName);
        Assert.Contains("samples hold 5 floats but BlobClassifier takes 4", features.Message);
    }

    /// <summary>Accuracy from a plain forward pass: argmax, or a threshold for one-output models.</summary>
    private static double ManualAccuracy(INetwork model, IDataset dataset, float? threshold)
    {
        var input = new float[model.InputSize];
        var output = new float[model.OutputSize];
        var correct = 0;
        for (var i = 0; i < dataset.Count; i++)
        {
            var label = dataset.Read(i, input, 0);
            model.Forward(input, output);
            var predicted = threshold is { } t ? (output[0] > t ? 1 : 0) : global::NetGen.Metrics.Accuracy.ArgMax(output);
            correct += predicted == label ? 1 : 0;
        }

        return (double)correct / dataset.Count;
    }

    /// <summary>Records the epoch number callbacks are shown at the start and at the end of each epoch.</summary>
    private sealed class EpochRecorder : ICallback
    {
        public List<int> Begun { get; } = new();

        public List<int> Ended { get; } = new();

        public void OnEpochBegin(TrainingContext context) => Begun.Add(context.Epoch);

        public CallbackAction OnEpochEnd(TrainingContext context, EpochMetrics metrics)
        {
            Ended.Add(metrics.Epoch);
            return CallbackAction.Continue;
        }
    }
}
