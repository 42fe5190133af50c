using System.IO;
using System.Linq;
using NetGen.Checkpoints;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Networks;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>Stopping after an epoch, checkpointing and resuming in a fresh model gives the same bits as training straight through.</summary>
public sealed class ResumeTests
{
    private static readonly BlobDataset Data = new(192, 10, 784, 17);

    private static DataLoader Loader() => new(Data, new DataLoaderOptions { BatchSize = 32, Seed = 99, Workers = 2 });

    private static TrainerOptions Options(int initialEpoch, int epochs) =>
        new() { InitialEpoch = initialEpoch, Epochs = epochs, Output = TextWriter.Null, Progress = ProgressMode.EpochsOnly };

    [Fact]
    public void ResumedTrainingIsBitForBitIdenticalToAnUninterruptedRun()
    {
        var straight = new TestMlp();
        Trainer.Fit(straight, new Adam(straight, 0.002f), Loader(), null, Options(0, 2));

        var path = Path.Combine(Path.GetTempPath(), $"netgen-resume-{System.Guid.NewGuid():N}.safetensors");
        try
        {
            var first = new TestMlp();
            var firstAdam = new Adam(first, 0.002f);
            Trainer.Fit(first, firstAdam, Loader(), null, Options(0, 1));
            Checkpoint.Save(path, first, firstAdam);

            var resumed = new TestMlp();
            resumed.ResetParameters(1234);
            var resumedAdam = new Adam(resumed, 0.5f);
            Checkpoint.Load(path, resumed, resumedAdam);
            Trainer.Fit(resumed, resumedAdam, Loader(), null, Options(1, 2));

            Assert.Equal(12, resumedAdam.StepCount);
            Assert.Equal(Bits(straight), Bits(resumed));
            Assert.NotEqual(Bits(first), Bits(resumed));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Dropout masks depend on the training-step count and BatchNorm keeps running statistics: both
    /// must travel in the checkpoint, or the resumed run draws other masks and infers with the initial statistics.
    /// </summary>
    [Fact]
    public void ResumingANetworkWithDropoutAndBatchNormIsBitForBitIdentical()
    {
        var data = new BlobDataset(96, 3, 6, 21);
        DataLoader Batches() => new(data, new DataLoaderOptions { BatchSize = 16, Seed = 5, Workers = 1 });

        var straight = new RegularisedMlp();
        Trainer.Fit(straight, new Adam(straight, 0.01f), Batches(), null, Options(0, 2));

        var path = Path.Combine(Path.GetTempPath(), $"netgen-resume-{System.Guid.NewGuid():N}.safetensors");
        try
        {
            var first = new RegularisedMlp();
            var firstAdam = new Adam(first, 0.01f);
            Trainer.Fit(first, firstAdam, Batches(), null, Options(0, 1));
            Checkpoint.Save(path, first, firstAdam);

            var resumed = new RegularisedMlp();
            var resumedAdam = new Adam(resumed, 0.01f);
            Checkpoint.Load(path, resumed, resumedAdam);
            Assert.Equal(6, resumed.TrainingSteps);
            Trainer.Fit(resumed, resumedAdam, Batches(), null, Options(1, 2));

            Assert.Equal(straight.TrainingSteps, resumed.TrainingSteps);
            Assert.Equal(Bits(straight), Bits(resumed));
            Assert.Equal(straight.Buffers.ToArray(), resumed.Buffers.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int[] Bits(INetwork model) => model.Parameters.ToArray().Select(System.BitConverter.SingleToInt32Bits).ToArray();
}
