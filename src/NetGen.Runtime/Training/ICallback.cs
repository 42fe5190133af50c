namespace NetGen.Training;

/// <summary>
/// Hooks into <c>Trainer.Fit</c>, as Keras callbacks do. Every hook has a do-nothing default,
/// so a callback implements only what it needs. Hooks run in the order the callbacks are listed.
/// </summary>
public interface ICallback
{
    /// <summary>Before the first epoch.</summary>
    void OnTrainBegin(TrainingContext context)
    {
    }

    /// <summary>Before each epoch's first batch; <see cref="TrainingContext.Epoch"/> is set.</summary>
    void OnEpochBegin(TrainingContext context)
    {
    }

    /// <summary>After each optimizer step, with the batch's mean loss (possibly NaN or infinite).</summary>
    CallbackAction OnBatchEnd(TrainingContext context, int batch, float loss) => CallbackAction.Continue;

    /// <summary>After each epoch's validation, once <paramref name="metrics"/> is in the history.</summary>
    CallbackAction OnEpochEnd(TrainingContext context, EpochMetrics metrics) => CallbackAction.Continue;

    /// <summary>After the last epoch, or after a stop.</summary>
    void OnTrainEnd(TrainingContext context)
    {
    }
}
