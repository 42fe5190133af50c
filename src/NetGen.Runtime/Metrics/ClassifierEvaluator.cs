using System;
using System.Collections.Generic;
using NetGen.Data;
using NetGen.Prediction;

namespace NetGen.Metrics;

/// <summary>
/// One evaluation pass of a classifier over a labelled dataset, reusable (its loader and buffers are allocated once,
/// so <c>Trainer.Fit</c> validates with one evaluator every epoch). Outputs are turned
/// into probabilities before any metric reads them, so thresholds and AUC see the same numbers
/// whether the network ends in logits or in its link.
/// </summary>
internal sealed class ClassifierEvaluator : IDatasetEvaluator
{
    private readonly INetwork model;
    private readonly DataLoader loader;
    private readonly IReadOnlyList<EvaluationMetric> metrics;
    private readonly float[] outputs;
    private readonly int classes;
    private readonly float[]? aucScores;
    private readonly int[]? aucLabels;

    public ClassifierEvaluator(INetwork model, IDataset dataset, int batchSize, IReadOnlyList<EvaluationMetric> metrics, string argument)
    {
        DatasetChecks.CheckClassification(model, dataset, argument);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (dataset.Count == 0)
        {
            throw new ArgumentException($"{dataset.GetType().Name} is empty; there is nothing to evaluate.", argument);
        }

        this.model = model;
        this.metrics = metrics;
        classes = dataset.ClassCount;
        foreach (var metric in metrics)
        {
            CheckApplies(metric);
            if (metric.Kind == MetricKind.Auc)
            {
                aucScores = new float[dataset.Count];
                aucLabels = new int[dataset.Count];
            }
        }

        loader = new DataLoader(dataset, new DataLoaderOptions { BatchSize = batchSize, Shuffle = false });
        outputs = new float[batchSize * model.OutputSize];
    }

    public EvaluationResult Run()
    {
        var matrix = new ConfusionMatrix(classes);
        var topK = new long[metrics.Count];
        double lossSum = 0;
        long samples = 0;
        var diverged = false;
        foreach (var batch in loader.Epoch(0))
        {
            var probabilities = outputs.AsSpan(0, batch.Size * model.OutputSize);
            var loss = model.Evaluate(batch.Inputs, batch.Labels, probabilities);
            lossSum += (double)loss * batch.Size;
            diverged |= !float.IsFinite(loss);
            if (!diverged)
            {
                NetworkPrediction.ToProbabilities(model, probabilities, batch.Size);
                Count(matrix, topK, probabilities, batch.Labels, (int)samples);
            }

            samples += batch.Size;
        }

        var values = new Dictionary<string, double>();
        for (var m = 0; m < metrics.Count; m++)
        {
            values[metrics[m].Name] = diverged ? double.NaN : Value(metrics[m], matrix, topK[m], samples);
        }

        return new EvaluationResult(lossSum / samples, diverged ? double.NaN : matrix.Accuracy, matrix, values, model);
    }

    private void Count(ConfusionMatrix matrix, long[] topK, ReadOnlySpan<float> probabilities, ReadOnlySpan<int> labels, int first)
    {
        if (model.Loss == Loss.BinaryCrossEntropy)
        {
            matrix.AddBinary(probabilities, labels);
            if (aucScores is not null)
            {
                probabilities.CopyTo(aucScores.AsSpan(first));
                labels.CopyTo(aucLabels.AsSpan(first));
            }
        }
        else
        {
            matrix.AddOutputs(probabilities, labels);
        }

        for (var m = 0; m < metrics.Count; m++)
        {
            if (metrics[m].Kind == MetricKind.TopKAccuracy)
            {
                topK[m] += (long)Math.Round(Accuracy.TopK(probabilities, labels, classes, metrics[m].K) * labels.Length);
            }
        }
    }

    private double Value(EvaluationMetric metric, ConfusionMatrix matrix, long topKCorrect, long samples)
    {
        // A binary classifier's precision, recall and F1 are those of the positive class, a multi-class one's their macro average.
        var scores = model.Loss == Loss.BinaryCrossEntropy ? matrix.Scores(1) : matrix.MacroAverage();
        return metric.Kind switch
        {
            MetricKind.Precision => scores.Precision,
            MetricKind.Recall => scores.Recall,
            MetricKind.F1 => scores.F1,
            MetricKind.Auc => RocAuc.Compute(aucScores, aucLabels),
            MetricKind.TopKAccuracy => (double)topKCorrect / samples,
            MetricKind.MeanSquaredError or MetricKind.MeanAbsoluteError => throw new InvalidOperationException($"{metric.Name} is a regression metric; CheckApplies rejects it for classifiers."),
        };
    }

    private void CheckApplies(EvaluationMetric metric)
    {
        var name = model.GetType().Name;
        if (metric.ForRegression)
        {
            throw new ArgumentException($"{metric.Name} compares a regressor's float targets, but {name} is a classifier ({model.Loss}).", nameof(metrics));
        }

        if (metric.Kind == MetricKind.Auc && model.Loss != Loss.BinaryCrossEntropy)
        {
            throw new ArgumentException($"auc is the ROC AUC of a binary classifier, but {name} is trained with {model.Loss}.", nameof(metrics));
        }

        if (metric.Kind == MetricKind.TopKAccuracy && model.Loss != Loss.SoftmaxCrossEntropy)
        {
            throw new ArgumentException($"{metric.Name} ranks the classes of a softmax classifier, but {name} is trained with {model.Loss}.", nameof(metrics));
        }

        if (metric.Kind == MetricKind.TopKAccuracy && metric.K > classes)
        {
            throw new ArgumentException($"{metric.Name} needs at least {metric.K} classes, but {name} predicts {classes}.", nameof(metrics));
        }
    }
}
