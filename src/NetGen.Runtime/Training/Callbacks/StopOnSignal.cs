using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace NetGen.Training;

/// <summary>
/// Ends a long training run gracefully on Ctrl+C (SIGINT) or SIGTERM, as PyTorch Lightning does: the
/// first signal stops <c>Trainer.Fit</c> after the batch in progress, so the program can still
/// save its plots and report on the best checkpoint; a second signal terminates the process as usual.
/// The handlers are registered only while training runs.
/// </summary>
public sealed class StopOnSignal : ICallback, IDisposable
{
    private PosixSignalRegistration? interrupt;
    private PosixSignalRegistration? terminate;
    private int signal;

    /// <summary>The signal that stopped training, or null while none has arrived.</summary>
    public PosixSignal? Received => Volatile.Read(ref signal) is var value && value != 0 ? (PosixSignal)value : null;

    /// <inheritdoc/>
    public void OnTrainBegin(TrainingContext context)
    {
        Dispose();
        interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    /// <inheritdoc/>
    public CallbackAction OnBatchEnd(TrainingContext context, int batch, float loss)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Received is not { } received)
        {
            return CallbackAction.Continue;
        }

        context.StopReason = $"StopOnSignal: {received} received; stopped after batch {batch + 1} of epoch {context.Epoch} (send it again to terminate at once).";
        return CallbackAction.Stop;
    }

    /// <inheritdoc/>
    public void OnTrainEnd(TrainingContext context) => Dispose();

    /// <summary>Unregisters the handlers, restoring the default behaviour of both signals.</summary>
    public void Dispose()
    {
        interrupt?.Dispose();
        terminate?.Dispose();
        interrupt = terminate = null;
    }

    private void Handle(PosixSignalContext context)
    {
        // Only the first signal is absorbed (PosixSignal values are never 0); a repeated one falls
        // through to the default, termination.
        if (Interlocked.CompareExchange(ref signal, (int)context.Signal, 0) == 0)
        {
            context.Cancel = true;
        }
    }
}
