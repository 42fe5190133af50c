using System;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Networks;
using NetGen.Runtime.Tests.Skips;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>A loss that explodes without reaching NaN stops training; healthy runs, spikes included, do not.</summary>
public sealed class TerminateOnDivergenceTests
{
    [Fact]
    public void StopsWhenTheRunningLossPassesTheFactorTimesTheFirstLoss()
    {
        var (callback, context) = Started(new TerminateOnDivergence(factor: 10, smoothing: 0));

        var actions = new[] { 2f, 1f, 19.9f, 1f, 20.5f }.Select((loss, batch) => callback.OnBatchEnd(context, batch, loss)).ToArray();

        Assert.Equal([CallbackAction.Continue, CallbackAction.Continue, CallbackAction.Continue, CallbackAction.Continue, CallbackAction.Stop], actions);
        Assert.Equal(
            "TerminateOnDivergence: batch 5 of epoch 1 brings the running loss to 20.5, above 10 × the first batch's loss 2 = 20; training diverged (try a lower learning rate), stopping.",
            context.StopReason);
    }

    [Fact]
    public void OneBadBatchDoesNotStopARunButASustainedRiseDoes()
    {
        var (callback, context) = Started(new TerminateOnDivergence());
        var batch = 0;
        CallbackAction Feed(float loss) => callback.OnBatchEnd(context, batch++, loss);

        Feed(2.3f);
        Assert.All(Enumerable.Range(0, 30).Select(_ => Feed(1f)), action => Assert.Equal(CallbackAction.Continue, action));
        Assert.Equal(CallbackAction.Continue, Feed(200f));
        Assert.Equal(CallbackAction.Continue, Feed(float.NaN));

        var stoppedAfter = Enumerable.Range(1, 10).First(_ => Feed(1000f) == CallbackAction.Stop);

        Assert.InRange(stoppedAfter, 1, 3);
        Assert.StartsWith($"TerminateOnDivergence: batch {batch} of epoch 1 brings the running loss to ", context.StopReason);
    }

    [Fact]
    public void AGivenBaselineReplacesTheFirstLossAndEachFitStartsAfresh()
    {
        var (callback, context) = Started(new TerminateOnDivergence(factor: 2, smoothing: 0, baseline: 1));

        Assert.Equal(CallbackAction.Continue, callback.OnBatchEnd(context, 0, 2f));
        Assert.Equal(CallbackAction.Stop, callback.OnBatchEnd(context, 1, 2.5f));
        Assert.Contains("above 2 × the baseline 1 = 2;", context.StopReason);

        var fresh = new TerminateOnDivergence(factor: 2, smoothing: 0);
        fresh.OnTrainBegin(context);
        fresh.OnBatchEnd(context, 0, 100f);
        fresh.OnTrainBegin(context);
        Assert.Equal(CallbackAction.Continue, fresh.OnBatchEnd(context, 0, 1f));
        Assert.Equal(CallbackAction.Stop, fresh.OnBatchEnd(context, 1, 3f));
    }

    [Theory]
    [InlineData(1.0, 0.98, null, "factor")]
    [InlineData(double.NaN, 0.98, null, "factor")]
    [InlineData(double.PositiveInfinity, 0.98, null, "factor")]
    [InlineData(10.0, 1.0, null, "smoothing")]
    [InlineData(10.0, -0.1, null, "smoothing")]
    [InlineData(10.0, 0.98, 0.0, "baseline")]
    [InlineData(10.0, 0.98, double.NaN, "baseline")]
    public void SettingsOutsideTheirRangeAreArgumentErrors(double factor, double smoothing, double? baseline, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TerminateOnDivergence(factor, smoothing, baseline));

        Assert.Equal(parameter, error.ParamName);
    }

    /// <summary>The defaults against the MNIST sample's MLP (Adam, batch 64): silent at its learning rate, firing at 1e6.</summary>
    [MnistFact]
    public void TheDefaultsLetTheMnistSampleTrainAndStopALearningRateOfAMillion()
    {
        var train = MnistDataset.Load(TestData.Require(TestData.MnistDirectory, "MNIST"), MnistSplit.Train);
        History Fit(float learningRate)
        {
            var model = new TestMlp();
            var loader = new DataLoader(train, new DataLoaderOptions { BatchSize = 64, Seed = 1 });
            return Trainer.Fit(model, new Adam(model, learningRate), loader, null, new TrainerOptions
            {
                Epochs = 1,
                Output = TextWriter.Null,
                Progress = ProgressMode.EpochsOnly,
                Callbacks = [new TerminateOnDivergence()],
            });
        }

        var healthy = Fit(2e-3f);
        var diverged = Fit(1e6f);

        Assert.Null(healthy.StopReason);
        Assert.True(healthy.Epochs[0].TrainLoss < 0.5, $"loss {healthy.Epochs[0].TrainLoss}");
        Assert.StartsWith("TerminateOnDivergence: batch 2 of epoch 1 brings the running loss to ", diverged.StopReason);
    }

    private static (TerminateOnDivergence Callback, TrainingContext Context) Started(TerminateOnDivergence callback)
    {
        var model = new BlobClassifier();
        // Trainer.Fit numbers epochs from 1, as its progress lines do.
        var context = new TrainingContext(model, new Adam(model), new History(), TextWriter.Null) { Epoch = 1 };
        callback.OnTrainBegin(context);
        return (callback, context);
    }
}
