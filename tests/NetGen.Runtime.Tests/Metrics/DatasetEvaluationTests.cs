using System;
using System.IO;
using System.Linq;
using NetGen.Data;
using NetGen.Metrics;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Networks;
using NetGen.Runtime.Tests.Training;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Metrics;

/// <summary>Evaluate(dataset): loss, accuracy, confusion matrix and metrics agree with a manual pass sample by sample.</summary>
public sealed class DatasetEvaluationTests
{
    private static T Trained<T>(T model, IDataset data) where T : INetwork
    {
        var loader = new DataLoader(data, new DataLoaderOptions { BatchSize = 16, Seed = 2, Workers = 1 });
        Trainer.Fit(model, new Adam(model, 0.02f), loader, null, new TrainerOptions { Epochs = 1, Output = TextWriter.Null });
        return model;
    }

    [Fact]
    public void ASoftmaxClassifiersResultsMatchAManualPass()
    {
        var test = new BlobDataset(61, 3, 4, 2, spread: 2.5f);
        var model = Trained(new BlobClassifier(), new BlobDataset(120, 3, 4, 1, spread: 2.5f));

        var result = model.Evaluate(test, batchSize: 7, metrics: [EvaluationMetric.F1, EvaluationMetric.Precision, EvaluationMetric.Recall, EvaluationMetric.TopKAccuracy(2)]);

        var (outputs, labels, meanLoss) = ManualPass(model, test);
        var expected = new ConfusionMatrix(3);
        expected.AddOutputs(outputs, labels);
        Assert.Equal(meanLoss, result.Loss, 5);
        Assert.Equal(Accuracy.FromOutputs(outputs, labels, 3), result.Accuracy!.Value, 12);
        Assert.Equal(Render(expected), Render(result.ConfusionMatrix));
        Assert.Equal(expected.MacroAverage().F1, result.Metrics["f1"], 12);
        Assert.Equal(expected.MacroAverage().Precision, result.Metrics["precision"], 12);
        Assert.Equal(expected.MacroAverage().Recall, result.Metrics["recall"], 12);
        Assert.Equal(Accuracy.TopK(outputs, labels, 3, 2), result.Metrics["top_2_accuracy"], 12);
        Assert.True(result.Accuracy < 1 && result.Metrics["top_2_accuracy"] > result.Accuracy, "the blobs overlap enough for top-2 to differ from top-1");
    }

    [Fact]
    public void ABinaryClassifiersMetricsAreThoseOfClassOneAndAucComesFromItsScores()
    {
        var test = new BlobDataset(80, 2, 4, 4, spread: 3f);
        var model = Trained(new LogitBinary(), new BlobDataset(100, 2, 4, 3, spread: 3f));

        var result = model.Evaluate(test, batchSize: 9, metrics: [EvaluationMetric.Auc, EvaluationMetric.Precision, EvaluationMetric.Recall, EvaluationMetric.F1]);

        var (logits, labels, meanLoss) = ManualPass(model, test);
        var expected = new ConfusionMatrix(2);
        expected.AddBinary(logits, labels, threshold: 0f);
        Assert.Equal(meanLoss, result.Loss, 5);
        Assert.Equal(Render(expected), Render(result.ConfusionMatrix));
        Assert.Equal(RocAuc.Compute(logits, labels), result.Metrics["auc"], 12);
        Assert.Equal(expected.Scores(1).Precision, result.Metrics["precision"], 12);
        Assert.Equal(expected.Scores(1).Recall, result.Metrics["recall"], 12);
        Assert.Equal(expected.Scores(1).F1, result.Metrics["f1"], 12);
    }

    [Fact]
    public void TheClassificationReportOfADatasetIsThatOfItsConfusionMatrix()
    {
        var test = new BlobDataset(30, 3, 4, 6);
        var model = new BlobClassifier();

        var report = model.ClassificationReport(test, ["a", "b", "c"]);

        Assert.Equal(ClassificationReport.Render(model.ConfusionMatrix(test), ["a", "b", "c"]), report);
        Assert.Contains("weighted avg", report);
    }

    [Fact]
    public void ARegressorsLossMseAndMaeMatchAManualPass()
    {
        var random = new SeededRandom(8);
        var inputs = Enumerable.Range(0, 23 * 6).Select(_ => random.NextUniform(-1f, 1f)).ToArray();
        var targets = Enumerable.Range(0, 23 * 2).Select(_ => random.NextUniform(0f, 1f)).ToArray();
        var test = new RegressionDataset(inputs, targets, [6], targetSize: 2);
        var model = new TestRegressor();

        var result = model.Evaluate(test, batchSize: 5, metrics: [EvaluationMetric.MeanSquaredError, EvaluationMetric.MeanAbsoluteError]);

        var outputs = new float[2];
        double loss = 0, squared = 0, absolute = 0;
        for (var i = 0; i < test.Count; i++)
        {
            loss += model.Evaluate(inputs.AsSpan(i * 6, 6), targets.AsSpan(i * 2, 2), outputs);
            for (var j = 0; j < 2; j++)
            {
                double error = outputs[j] - targets[(i * 2) + j];
                (squared, absolute) = (squared + (error * error), absolute + Math.Abs(error));
            }
        }

        Assert.Equal(loss / test.Count, result.Loss, 5);
        Assert.Equal(squared / targets.Length, result.Metrics["mse"], 6);
        Assert.Equal(absolute / targets.Length, result.Metrics["mae"], 6);
        Assert.Null(result.Accuracy);
        var matrix = Assert.Throws<InvalidOperationException>(() => result.ConfusionMatrix);
        Assert.Equal("TestRegressor is a regressor (MeanSquaredError): it predicts values, not classes, so there is no confusion matrix; read Loss and Metrics (mse, mae).", matrix.Message);
        Assert.Equal(matrix.Message, Assert.Throws<InvalidOperationException>(() => result.ClassificationReport()).Message);
    }

    [Fact]
    public void MisfitsAreRejectedNamingNetworkDatasetAndMetric()
    {
        var classifier = new BlobClassifier();
        INetwork regressor = new TestRegressor();

        var loss = Assert.Throws<ArgumentException>(() => regressor.Evaluate(new BlobDataset(10, 2, 6, 1)));
        var classes = Assert.Throws<ArgumentException>(() => classifier.Evaluate(new BlobDataset(10, 2, 4, 1)));
        var auc = Assert.Throws<ArgumentException>(() => classifier.Evaluate(new BlobDataset(10, 3, 4, 1), metrics: [EvaluationMetric.Auc]));
        var topK = Assert.Throws<ArgumentException>(() => classifier.Evaluate(new BlobDataset(10, 3, 4, 1), metrics: [EvaluationMetric.TopKAccuracy(4)]));
        var mae = Assert.Throws<ArgumentException>(() => classifier.Evaluate(new BlobDataset(10, 3, 4, 1), metrics: [EvaluationMetric.MeanAbsoluteError]));
        var targets = Assert.Throws<ArgumentException>(() => classifier.Evaluate(new RegressionDataset(new float[12], new float[9], [4], targetSize: 3)));
        var targetSize = Assert.Throws<ArgumentException>(() => regressor.Evaluate(new RegressionDataset(new float[12], new float[6], [6], targetSize: 3)));
        var f1 = Assert.Throws<ArgumentException>(() => regressor.Evaluate(new RegressionDataset(new float[12], new float[4], [6], targetSize: 2), metrics: [EvaluationMetric.F1]));

        Assert.Contains("TestRegressor is trained with MeanSquaredError, which compares float targets, but BlobDataset holds class labels; give it an ITargetDataset such as RegressionDataset", loss.Message);
        Assert.Equal("dataset", loss.ParamName);
        Assert.Contains("BlobDataset has 2 classes but BlobClassifier (SoftmaxCrossEntropy, 3 outputs) predicts 3", classes.Message);
        Assert.Contains("auc is the ROC AUC of a binary classifier, but BlobClassifier is trained with SoftmaxCrossEntropy", auc.Message);
        Assert.Contains("top_4_accuracy needs at least 4 classes, but BlobClassifier predicts 3", topK.Message);
        Assert.Contains("mae compares a regressor's float targets, but BlobClassifier is a classifier (SoftmaxCrossEntropy)", mae.Message);
        Assert.Contains("BlobClassifier is a classifier (SoftmaxCrossEntropy), which compares class labels, but RegressionDataset holds float targets", targets.Message);
        Assert.Equal("dataset", targets.ParamName);
        Assert.Contains("RegressionDataset targets hold 3 floats but TestRegressor outputs 2", targetSize.Message);
        Assert.Contains("f1 is a classification metric, but TestRegressor is a regressor (MeanSquaredError)", f1.Message);
    }

    /// <summary>Forward outputs (as Forward writes them), labels and the mean loss, one sample at a time.</summary>
    private static (float[] Outputs, int[] Labels, double MeanLoss) ManualPass(INetwork model, IDataset dataset)
    {
        var outputs = new float[dataset.Count * model.OutputSize];
        var labels = new int[dataset.Count];
        var input = new float[model.InputSize];
        double loss = 0;
        for (var i = 0; i < dataset.Count; i++)
        {
            labels[i] = dataset.Read(i, input, 0);
            loss += model.Evaluate(input, labels.AsSpan(i, 1), outputs.AsSpan(i * model.OutputSize, model.OutputSize));
        }

        return (outputs, labels, loss / dataset.Count);
    }

    private static string Render(ConfusionMatrix matrix) => matrix.Render();
}
