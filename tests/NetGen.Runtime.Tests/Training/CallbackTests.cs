using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Schedules;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>EarlyStopping, TerminateOnNaN and LearningRateScheduler, on their own and inside Fit.</summary>
public sealed class CallbackTests
{
    private static DataLoader Loader(IDataset dataset, bool shuffle = true) =>
        new(dataset, new DataLoaderOptions { BatchSize = 16, Seed = 3, Shuffle = shuffle, Workers = 1 });

    private static TrainerOptions Quiet(int epochs, params ICallback[] callbacks) =>
        new() { Epochs = epochs, Output = TextWriter.Null, Progress = ProgressMode.EpochsOnly, Callbacks = callbacks };

    [Fact]
    public void EarlyStoppingWaitsPatienceEpochsThenRestoresTheBest()
    {
        var model = new BlobClassifier();
        var context = new TrainingContext(model, new Adam(model), new History(), TextWriter.Null);
        var stopping = new EarlyStopping(Metric.ValidationLoss, patience: 2, minDelta: 0.01, restoreBestWeights: true);
        double[] losses = [1.0, 0.8, 0.795, 0.9];
        var actions = new List<CallbackAction>();

        for (var epoch = 1; epoch <= losses.Length; epoch++)
        {
            model.Parameters.Fill(epoch);
            actions.Add(stopping.OnEpochEnd(context, new EpochMetrics(epoch, 1, 0, losses[epoch - 1], 0.5, 0.1, 1)));
        }

        stopping.OnTrainEnd(context);

        Assert.Equal(new[] { CallbackAction.Continue, CallbackAction.Continue, CallbackAction.Continue, CallbackAction.Stop }, actions);
        Assert.Equal(2, stopping.BestEpoch);
        Assert.All(model.Parameters.ToArray(), p => Assert.Equal(2f, p));
        Assert.Contains("val_loss has not improved for 2 epochs since epoch 2", context.StopReason);
    }

    [Fact]
    public void EarlyStoppingInsideFitEndsTheRunWithTheBestWeights()
    {
        var model = new BlobClassifier();
        var snapshots = new SnapshotCallback();
        var stopping = new EarlyStopping(Metric.TrainLoss, patience: 1, minDelta: 1e9, restoreBestWeights: true);

        var history = Trainer.Fit(model, new Adam(model, 0.05f), Loader(new BlobDataset(64, 3, 4, 1)), null, Quiet(5, snapshots, stopping));

        Assert.Equal(2, history.Epochs.Count);
        Assert.StartsWith("EarlyStopping: loss has not improved for 1 epochs", history.StopReason);
        Assert.Equal(snapshots.Parameters[0], model.Parameters.ToArray());
        Assert.NotEqual(snapshots.Parameters[1], model.Parameters.ToArray());
    }

    [Fact]
    public void MonitoringValidationWithoutValidationDataIsAClearError()
    {
        var model = new BlobClassifier();

        var error = Assert.Throws<InvalidOperationException>(() =>
            Trainer.Fit(model, new Adam(model), Loader(new BlobDataset(32, 3, 4, 1)), null, Quiet(1, new EarlyStopping())));

        Assert.StartsWith("EarlyStopping monitors val_loss, but Fit did not measure it: validation metrics need validation data", error.Message);
    }

    [Fact]
    public void TerminateOnNaNStopsAtTheDivergingBatch()
    {
        var model = new BlobClassifier();
        var output = new StringWriter();

        var history = Trainer.Fit(model, new Adam(model), Loader(new BlobDataset(96, 3, 4, 2, nanSample: 37), shuffle: false), new BlobDataset(30, 3, 4, 3), Quiet(3, new TerminateOnNaN()) with { Output = output });

        Assert.Single(history.Epochs);
        Assert.True(double.IsNaN(history.Epochs[0].TrainLoss));
        Assert.Null(history.Epochs[0].ValidationLoss);
        Assert.Equal("TerminateOnNaN: batch 3 of epoch 1 has loss NaN; training diverged (try a lower learning rate), stopping.", history.StopReason);
        Assert.Contains(history.StopReason!, output.ToString());
    }

    [Fact]
    public void EpochScheduleSetsTheRateBeforeEachEpoch()
    {
        var model = new BlobClassifier();
        var adam = new Adam(model, 1f);

        var history = Trainer.Fit(model, adam, Loader(new BlobDataset(32, 3, 4, 4)), null, Quiet(3, new LearningRateScheduler(new StepLR(0.1, stepSize: 1, gamma: 0.5))));

        Assert.Equal(new[] { 0.1f, 0.05f, 0.025f }, history.Epochs.Select(e => (float)e.LearningRate));
    }

    [Fact]
    public void PlateauScheduleIsFedTheMonitoredMetric()
    {
        var model = new BlobClassifier();
        var plateau = new ReduceLROnPlateau(0.1, PlateauMode.Min, factor: 0.5, patience: 0, threshold: 1e9, thresholdMode: ThresholdMode.Absolute);
        var adam = new Adam(model, 0.1f);

        var history = Trainer.Fit(model, adam, Loader(new BlobDataset(32, 3, 4, 5)), new BlobDataset(12, 3, 4, 6), Quiet(3, new LearningRateScheduler(plateau)));

        Assert.Equal(new[] { 0.1f, 0.1f, 0.05f }, history.Epochs.Select(e => (float)e.LearningRate));
        Assert.Equal(3, plateau.State.Epoch);
        Assert.Equal(history.Epochs[0].ValidationLoss, plateau.State.Best);
    }

    [Fact]
    public void PlateauModeMustMatchTheMetricDirection()
    {
        var error = Assert.Throws<ArgumentException>(() => new LearningRateScheduler(new ReduceLROnPlateau(0.1, PlateauMode.Min), Metric.ValidationAccuracy));

        Assert.Contains("ReduceLROnPlateau is in Min mode but val_accuracy should rise", error.Message);
    }

    /// <summary>Records the parameters at the end of every epoch.</summary>
    private sealed class SnapshotCallback : ICallback
    {
        public List<float[]> Parameters { get; } = new();

        public CallbackAction OnEpochEnd(TrainingContext context, EpochMetrics metrics)
        {
            Parameters.Add(context.Model.Parameters.ToArray());
            return CallbackAction.Continue;
        }
    }
}
