using System;

namespace NetGen.Metrics;

/// <summary>
/// A metric that <see cref="DatasetEvaluation.Evaluate"/> and <c>Trainer.Fit</c> can
/// compute over a dataset, under its Keras-style <see cref="Name"/> (<c>f1</c>, <c>top_5_accuracy</c>,
/// <c>mae</c>; <c>val_</c> is prefixed for validation). Classifiers take precision, recall and F1
/// (macro averages over the classes for softmax cross-entropy, the scores of class 1 for binary
/// cross-entropy, as Keras' and torchmetrics' binary metrics are), top-k accuracy and AUC;
/// regressors take MSE and MAE.
/// </summary>
public sealed record EvaluationMetric
{
    private EvaluationMetric(string name, MetricKind kind, int k)
    {
        Name = name;
        Kind = kind;
        K = k;
    }

    /// <summary>Precision (<c>precision</c>), for classifiers.</summary>
    public static EvaluationMetric Precision { get; } = new("precision", MetricKind.Precision, 0);

    /// <summary>Recall (<c>recall</c>), for classifiers.</summary>
    public static EvaluationMetric Recall { get; } = new("recall", MetricKind.Recall, 0);

    /// <summary>F1 score (<c>f1</c>), for classifiers.</summary>
    public static EvaluationMetric F1 { get; } = new("f1", MetricKind.F1, 0);

    /// <summary>Area under the ROC curve of a binary classifier (<c>auc</c>), as sklearn's roc_auc_score.</summary>
    public static EvaluationMetric Auc { get; } = new("auc", MetricKind.Auc, 0);

    /// <summary>Mean squared error over every output of every sample (<c>mse</c>), for regressors.</summary>
    public static EvaluationMetric MeanSquaredError { get; } = new("mse", MetricKind.MeanSquaredError, 0);

    /// <summary>Mean absolute error over every output of every sample (<c>mae</c>), for regressors.</summary>
    public static EvaluationMetric MeanAbsoluteError { get; } = new("mae", MetricKind.MeanAbsoluteError, 0);

    /// <summary>The name under which results and monitors find the metric.</summary>
    public string Name { get; }

    internal MetricKind Kind { get; }

    internal int K { get; }

    /// <summary>Whether the metric compares float targets (a regressor's) rather than class labels.</summary>
    internal bool ForRegression => Kind is MetricKind.MeanSquaredError or MetricKind.MeanAbsoluteError;

    /// <summary>Fraction of samples whose label is among the <paramref name="k"/> most probable classes (<c>top_{k}_accuracy</c>).</summary>
    public static EvaluationMetric TopKAccuracy(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return new($"top_{k}_accuracy", MetricKind.TopKAccuracy, k);
    }
}

/// <summary>What an <see cref="EvaluationMetric"/> computes.</summary>
internal enum MetricKind
{
    Precision,
    Recall,
    F1,
    Auc,
    TopKAccuracy,
    MeanSquaredError,
    MeanAbsoluteError,
}
