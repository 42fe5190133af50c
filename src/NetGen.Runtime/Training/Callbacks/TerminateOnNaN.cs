using System;

namespace NetGen.Training;

/// <summary>Stops training at the first batch whose loss is NaN or infinite (Keras' TerminateOnNaN).</summary>
public sealed class TerminateOnNaN : ICallback
{
    /// <inheritdoc/>
    public CallbackAction OnBatchEnd(TrainingContext context, int batch, float loss)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (float.IsFinite(loss))
        {
            return CallbackAction.Continue;
        }

        context.StopReason = $"TerminateOnNaN: batch {batch + 1} of epoch {context.Epoch} has loss {loss}; training diverged (try a lower learning rate), stopping.";
        return CallbackAction.Stop;
    }
}
