using System;

namespace NetGen.Metrics;

/// <summary>
/// A classification metric that <see cref="DatasetEvaluation.Evaluate"/> and
/// <see cref="Training.Trainer.Fit"/> can compute over a dataset, under its Keras-style
/// <see cref="Name"/> (<c>f1</c>, <c>top_5_accuracy</c>; <c>val_</c> is prefixed for validation).
/// Precision, recall and F1 are macro averages over the classes for softmax cross-entropy, and the
/// scores of class 1 for binary cross-entropy, as Keras' and torchmetrics' binary metrics are.
/// </summary>
public sealed record ClassificationMetric
{
    private ClassificationMetric(string name, MetricKind kind, int k)
    {
        Name = name;
        Kind = kind;
        K = k;
    }

    /// <summary>Precision (<c>precision</c>).</summary>
    public static ClassificationMetric Precision { get; } = new("precision", MetricKind.Precision, 0);

    /// <summary>Recall (<c>recall</c>).</summary>
    public static ClassificationMetric Recall { get; } = new("recall", MetricKind.Recall, 0);

    /// <summary>F1 score (<c>f1</c>).</summary>
    public static ClassificationMetric F1 { get; } = new("f1", MetricKind.F1, 0);

    /// <summary>Area under the ROC curve of a binary classifier (<c>auc</c>), as sklearn's roc_auc_score.</summary>
    public static ClassificationMetric Auc { get; } = new("auc", MetricKind.Auc, 0);

    /// <summary>The name under which results and monitors find the metric.</summary>
    public string Name { get; }

    internal MetricKind Kind { get; }

    internal int K { get; }

    /// <summary>Fraction of samples whose label is among the <paramref name="k"/> most probable classes (<c>top_{k}_accuracy</c>).</summary>
    public static ClassificationMetric TopKAccuracy(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return new($"top_{k}_accuracy", MetricKind.TopKAccuracy, k);
    }
}

/// <summary>What a <see cref="ClassificationMetric"/> computes.</summary>
internal enum MetricKind
{
    Precision,
    Recall,
    F1,
    Auc,
    TopKAccuracy,
}
