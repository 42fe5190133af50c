namespace NetGen.Training;

/// <summary>What a callback asks the trainer to do next.</summary>
public enum CallbackAction
{
    /// <summary>Keep training.</summary>
    Continue,

    /// <summary>Stop after this batch or epoch; the callback has set <see cref="TrainingContext.StopReason"/>.</summary>
    Stop,
}
