using System;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Optimizers;
using NetGen.Prediction;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>One linear unit under mean squared error: y = w·x + b.</summary>
[Network(Loss = Loss.MeanSquaredError, Seed = 31)]
[Input(1)]
public partial class LineRegressor
{
    [Dense(1)] public partial Dense Output { get; }
}

/// <summary>Trainer.Fit on float targets: a regressor learns through the same loop as a classifier.</summary>
public sealed class RegressionFitTests
{
    /// <summary>y = 2x + 1 with x spread over [-1, 1].</summary>
    private static RegressionDataset Line(int count)
    {
        var x = Enumerable.Range(0, count).Select(i => -1f + (2f * i / (count - 1))).ToArray();
        return new RegressionDataset(x, x.Select(v => (2 * v) + 1).ToArray(), [1], targetSize: 1);
    }

    [Fact]
    public void ALinearRegressorLearnsTwoXPlusOneThroughFit()
    {
        var (train, validation) = Line(200).Split(0.8, seed: 4);
        var model = new LineRegressor();
        var output = new StringWriter();
        var loader = new DataLoader(train, new DataLoaderOptions { BatchSize = 16, Seed = 1, Workers = 1 });
        var stopping = new EarlyStopping("val_mae", patience: 40);

        var history = Trainer.Fit(model, new Adam(model, 0.05f), loader, validation,
            new TrainerOptions { Epochs = 40, Output = output, Progress = ProgressMode.EpochsOnly, Metrics = [EvaluationMetric.MeanAbsoluteError, EvaluationMetric.MeanSquaredError], Callbacks = [stopping] });

        Assert.Equal(2f, model.Output.Weight[0, 0], 0.02f);
        Assert.Equal(1f, model.Parameters[^1], 0.02f);
        Assert.Equal(2f * 0.25f + 1f, model.Predict([0.25f])[0], 0.02f);
        Assert.True(history.Epochs[^1].ValidationLoss < 1e-3, $"val_loss {history.Epochs[^1].ValidationLoss}");
        Assert.True(history.Epochs[^1].ValidationLoss < history.Epochs[0].ValidationLoss / 10);
        Assert.All(history.Epochs, e => Assert.Null(e.TrainAccuracy));
        Assert.All(history.Epochs, e => Assert.Null(e.ValidationAccuracy));
        Assert.Matches(@"^Epoch 40/40 done in \d+\.\ds: loss \d+\.\d{4} val_loss \d+\.\d{4} val_mae \d+\.\d{4} val_mse \d+\.\d{4} lr 0\.05\r?$", output.ToString().Split('\n')[^2]);
        var errors = Enumerable.Range(0, validation.Count).Select(i =>
        {
            var x = new float[1];
            var y = new float[1];
            validation.Read(i, x, 0);
            validation.ReadTarget(i, y);
            return (double)model.Predict(x)[0] - y[0];
        }).ToArray();
        Assert.Equal(errors.Average(Math.Abs), history.Epochs[^1].Get("val_mae")!.Value, 6);
        Assert.Equal(errors.Average(e => e * e), history.Epochs[^1].Get("val_mse")!.Value, 6);
        Assert.Equal(history.Epochs[^1].Get("val_mse")!.Value, history.Epochs[^1].ValidationLoss!.Value, 6);
        Assert.Equal(history.Epochs.MinBy(e => e.Get("val_mae"))!.Epoch, stopping.BestEpoch);
    }

    [Fact]
    public void TheLoaderServesEachSamplesTargetBesideItsInput()
    {
        var data = Line(37);
        var loader = new DataLoader(data, new DataLoaderOptions { BatchSize = 8, Seed = 2, Workers = 2 });
        var input = new float[1];
        var target = new float[1];

        foreach (var batch in loader.Epoch(3))
        {
            Assert.Equal(batch.Size, batch.Targets.Length);
            for (var i = 0; i < batch.Size; i++)
            {
                data.Read(batch.SampleIndices[i], input, 0);
                data.ReadTarget(batch.SampleIndices[i], target);
                Assert.Equal(input[0], batch.Inputs[i]);
                Assert.Equal(target[0], batch.Targets[i]);
            }
        }
    }

    [Fact]
    public void MismatchedTargetsLabelsAndMetricsAreRejected()
    {
        var model = new LineRegressor();
        var twoTargets = new RegressionDataset(new float[10], new float[20], [1], targetSize: 2);
        DataLoader Loader(IDataset dataset) => new(dataset, new DataLoaderOptions { BatchSize = 4, Workers = 1 });
        var quiet = new TrainerOptions { Epochs = 1, Output = TextWriter.Null };

        var labels = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, new Adam(model), Loader(new BlobDataset(8, 2, 1, 1)), null, quiet));
        var size = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, new Adam(model), Loader(Line(8)), twoTargets, quiet));
        var metrics = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, new Adam(model), Loader(Line(8)), Line(4), quiet with { Metrics = [EvaluationMetric.F1] }));
        var arrays = Assert.Throws<ArgumentException>(() => new RegressionDataset(new float[10], new float[9], [1], targetSize: 1));

        Assert.Contains("LineRegressor is trained with MeanSquaredError, which compares float targets, but BlobDataset holds class labels; give it an ITargetDataset such as RegressionDataset", labels.Message);
        Assert.Equal("validation", size.ParamName);
        Assert.Contains("RegressionDataset targets hold 2 floats but LineRegressor outputs 1", size.Message);
        Assert.Contains("f1 is a classification metric, but LineRegressor is a regressor (MeanSquaredError); use EvaluationMetric.MeanSquaredError or MeanAbsoluteError", metrics.Message);
        Assert.Contains("inputs hold 10 floats (10 samples of 1) but targets 9 (9 of 1)", arrays.Message);
    }
}
