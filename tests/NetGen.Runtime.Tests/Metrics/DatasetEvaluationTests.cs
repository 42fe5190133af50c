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
        Assert.Equal(Accuracy.FromOutputs(outputs, labels, 3), result.Accuracy, 12);
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
    public void MisfitsAreRejectedNamingNetworkDatasetAndMetric()
    {
        var classifier = new BlobClassifier();
        INetwork regressor = new TestRegressor();

        var loss = Assert.Throws<ArgumentException>(() => regressor.Evaluate(new BlobDataset(10, 2, 6, 1)));
        var classes = Assert.Throws<ArgumentException>(() => classifier.Evaluate(new BlobDataset(10, 2, 4, 1)));
        var auc = Assert.Throws<ArgumentException>(() => classifier.Evaluate(new BlobDataset(10, 3, 4, 1), metrics: [EvaluationMetric.Auc]));
        var topK = Assert.Throws<ArgumentException>(() => classifier.Evaluate(new BlobDataset(10, 3, 4, 1), metrics: [EvaluationMetric.TopKAccuracy(4)]));
        var mae = Assert.Throws<ArgumentException>(() => classifier.Evaluate(new BlobDataset(10, 3, 4, 1), metrics: [EvaluationMetric.MeanAbsoluteError]));

        Assert.Contains("TestRegressor is trained with MeanSquaredError", loss.Message);
        Assert.Equal("dataset", loss.ParamName);
        Assert.Contains("BlobDataset has 2 classes but BlobClassifier (SoftmaxCrossEntropy, 3 outputs) predicts 3", classes.Message);
        Assert.Contains("auc is the ROC AUC of a binary classifier, but BlobClassifier is trained with SoftmaxCrossEntropy", auc.Message);
        Assert.Contains("top_4_accuracy needs at least 4 classes, but BlobClassifier predicts 3", topK.Message);
        Assert.Contains("mae compares a regressor's float targets, but BlobClassifier is a classifier (SoftmaxCrossEntropy)", mae.Message);
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
