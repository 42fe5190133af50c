namespace NetGen.Training;

/// <summary>A per-epoch quantity that callbacks can monitor.</summary>
public enum Metric
{
    /// <summary>Mean training loss over the epoch (lower is better).</summary>
    TrainLoss,

    /// <summary>Training accuracy over the epoch (higher is better).</summary>
    TrainAccuracy,

    /// <summary>Mean validation loss (lower is better); Keras' <c>val_loss</c>.</summary>
    ValidationLoss,

    /// <summary>Validation accuracy (higher is better); Keras' <c>val_accuracy</c>.</summary>
    ValidationAccuracy,
}
