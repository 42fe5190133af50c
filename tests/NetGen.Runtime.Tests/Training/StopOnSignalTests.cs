using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>StopOnSignal inside Fit, with a real SIGTERM sent to this process.</summary>
public sealed partial class StopOnSignalTests
{
    private const int SigTerm = 15;

    [Fact]
    public void FirstSignalStopsFitAfterTheBatchInProgress()
    {
        var model = new BlobClassifier();
        var stop = new StopOnSignal();
        var sender = new SignalAtBatch(stop, batch: 2);
        var loader = new DataLoader(new BlobDataset(96, 3, 4, 1), new DataLoaderOptions { BatchSize = 16, Seed = 3, Workers = 1 });

        // The sender runs first, so the batch that raises the signal is the batch Fit stops after.
        var history = Trainer.Fit(model, new Adam(model), loader, null, new TrainerOptions
        {
            Epochs = 3,
            Output = TextWriter.Null,
            Progress = ProgressMode.EpochsOnly,
            Callbacks = [sender, stop],
        });

        Assert.Equal(PosixSignal.SIGTERM, stop.Received);
        Assert.Single(history.Epochs);
        Assert.Equal("StopOnSignal: SIGTERM received; stopped after batch 3 of epoch 1 (send it again to terminate at once).", history.StopReason);
    }

    [Fact]
    public void WithoutASignalTrainingRunsToTheEnd()
    {
        var model = new BlobClassifier();
        var stop = new StopOnSignal();
        var loader = new DataLoader(new BlobDataset(32, 3, 4, 1), new DataLoaderOptions { BatchSize = 16, Seed = 3, Workers = 1 });

        var history = Trainer.Fit(model, new Adam(model), loader, null, new TrainerOptions
        {
            Epochs = 2,
            Output = TextWriter.Null,
            Progress = ProgressMode.EpochsOnly,
            Callbacks = [stop],
        });

        Assert.Null(stop.Received);
        Assert.Null(history.StopReason);
        Assert.Equal(2, history.Epochs.Count);
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);

    /// <summary>Sends SIGTERM to this process at the end of one batch and waits until the handler has seen it.</summary>
    private sealed class SignalAtBatch(StopOnSignal stop, int batch) : ICallback
    {
        public CallbackAction OnBatchEnd(TrainingContext context, int number, float loss)
        {
            if (number == batch && context.Epoch == 1)
            {
                Assert.Equal(0, Kill(Environment.ProcessId, SigTerm));
                Assert.True(SpinWait.SpinUntil(() => stop.Received is not null, TimeSpan.FromSeconds(10)), "SIGTERM was not delivered to the handler");
            }

            return CallbackAction.Continue;
        }
    }
}
