using System;
using System.IO;
using System.Linq;
using System.Threading;
using NetGen.Data;
using NetGen.Distributed;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Networks;
using NetGen.Runtime.Tests.Training;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Distributed;

/// <summary>
/// <c>Trainer.Fit</c> with ranks as threads (<see cref="ThreadCommunicator"/>): the same model
/// as one process, different dropout masks per rank, one stop for all, one writer.
/// </summary>
public sealed class DataParallelTrainerTests : IDisposable
{
    // 50 = 3 × 16 + 2: with three ranks the last batch leaves one rank's shard empty.
    private static readonly BlobDataset Train = new(count: 50, classes: 3, features: 4, seed: 5);
    private static readonly BlobDataset Validation = new(count: 30, classes: 3, features: 4, seed: 6);
    private readonly string _folder = Directory.CreateTempSubdirectory("netgen-dp-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Ranks_train_to_the_parameters_losses_and_validation_of_one_process(int ranks)
    {
        var (alone, aloneHistory) = Fit(null);
        var results = RunRanks(ranks, communicator => Fit(communicator));

        foreach (var (model, history) in results)
        {
            Assert.True(model.Parameters.SequenceEqual(results[0].Model.Parameters), "the ranks' parameters differ");
            Assert.Equal(aloneHistory.Epochs.Count, history.Epochs.Count);
            for (var e = 0; e < history.Epochs.Count; e++)
            {
                Assert.Equal(aloneHistory.Epochs[e].TrainLoss, history.Epochs[e].TrainLoss, 1e-5);
                Assert.Equal(aloneHistory.Epochs[e].TrainAccuracy, history.Epochs[e].TrainAccuracy);
                Assert.Equal(aloneHistory.Epochs[e].ValidationLoss!.Value, history.Epochs[e].ValidationLoss!.Value, 1e-5);
            }
        }

        var scale = alone.Parameters.ToArray().Max(MathF.Abs);
        for (var i = 0; i < alone.Parameters.Length; i++)
        {
            Assert.True(MathF.Abs(alone.Parameters[i] - results[0].Model.Parameters[i]) <= 1e-5f * scale, $"parameter {i}: {alone.Parameters[i]} alone, {results[0].Model.Parameters[i]} with {ranks} ranks");
        }

        Assert.Equal(alone.TrainingSteps, results[0].Model.TrainingSteps);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Small_gradient_buckets_are_summed_during_backward_and_train_to_the_parameters_of_one_process(int ranks)
    {
        var (alone, _) = Fit(null);
        var results = RunRanks(ranks, communicator =>
        {
            var model = new BlobClassifier();
            var probe = new BackwardProbe(communicator, model);
            // 16 bytes: a bucket of 4 floats, so each layer's gradients make several.
            var options = Options(communicator, epochs: 2) with { Communicator = probe, AllReduceBucketBytes = 16, Callbacks = [probe] };
            Trainer.Fit(model, new Adam(model, 0.01f), Loader(communicator, batchSize: 16), Validation, options);
            return (model, probe);
        });

        var scale = alone.Parameters.ToArray().Max(MathF.Abs);
        var buckets = (alone.Parameters.Length + 3) / 4;
        foreach (var (model, probe) in results)
        {
            Assert.Equal(alone.TrainingSteps * buckets, probe.Started);
            Assert.True(probe.StartedDuringBackward > 0, "every bucket's all-reduce started after backward had finished");
            for (var i = 0; i < alone.Parameters.Length; i++)
            {
                Assert.True(MathF.Abs(alone.Parameters[i] - model.Parameters[i]) <= 1e-5f * scale, $"parameter {i}: {alone.Parameters[i]} alone, {model.Parameters[i]} with {ranks} ranks in buckets");
            }
        }
    }

    [Fact]
    public void Each_rank_draws_dropout_masks_of_its_own_and_the_step_count_stays_global()
    {
        var recorded = RunRanks(2, communicator =>
        {
            var model = new StepRecordingNetwork(new DroppedMlp());
            var fiveFeatures = new BlobDataset(count: 50, classes: 3, features: 5, seed: 7);
            Trainer.Fit(model, new Sgd(model, 0.1f), Loader(communicator, batchSize: 8, fiveFeatures), null, Options(communicator, epochs: 1));
            return model;
        });

        // 50 samples in batches of 8: 7 steps; rank r trains step s with the masks of step 2s + r.
        Assert.Equal([0, 2, 4, 6, 8, 10, 12], recorded[0].DropoutSteps);
        Assert.Equal([1, 3, 5, 7, 9, 11, 13], recorded[1].DropoutSteps);
        Assert.All(recorded, model => Assert.Equal(7, model.TrainingSteps));
    }

    [Fact]
    public void BatchNorm_statistics_gathered_per_rank_are_averaged_so_every_rank_validates_the_same_model()
    {
        var sixFeatures = new BlobDataset(count: 48, classes: 3, features: 6, seed: 8);
        var results = RunRanks(2, communicator =>
        {
            var model = new RegularisedMlp();
            var history = Trainer.Fit(model, new Sgd(model, 0.1f), Loader(communicator, batchSize: 16, sixFeatures), sixFeatures, Options(communicator, epochs: 1));
            return (model, history);
        });

        Assert.True(results[0].model.Buffers.SequenceEqual(results[1].model.Buffers), "the ranks' running statistics differ");
        Assert.False(results[0].model.Buffers.SequenceEqual(new RegularisedMlp().Buffers), "training left the running statistics at their initial values");
        Assert.Equal(results[0].history.Epochs[0].ValidationLoss, results[1].history.Epochs[0].ValidationLoss);
    }

    [Fact]
    public void A_stop_on_one_rank_stops_every_rank_after_the_same_batch()
    {
        var results = RunRanks(2, communicator =>
        {
            var model = new BlobClassifier();
            ICallback[] callbacks = communicator.Rank == 1 ? [new StopAtBatch(2)] : [];
            var history = Trainer.Fit(model, new Sgd(model, 0.1f), Loader(communicator, batchSize: 8), Validation, Options(communicator, epochs: 3) with { Callbacks = callbacks });
            return (model, history);
        });

        Assert.Equal("Rank 1 stopped training in epoch 1.", results[0].history.StopReason);
        Assert.Equal("StopAtBatch stopped training in epoch 1.", results[1].history.StopReason);
        Assert.All(results, rank => Assert.Equal(3, rank.model.TrainingSteps));
    }

    [Fact]
    public void Only_rank_zero_prints_and_writes_the_log()
    {
        var logs = new[] { Path.Combine(_folder, "rank0.csv"), Path.Combine(_folder, "rank1.csv") };
        var outputs = new[] { new StringWriter(), new StringWriter() };
        RunRanks(2, communicator =>
        {
            var model = new BlobClassifier();
            var options = Options(communicator, epochs: 1) with { Callbacks = [new CsvLogger(logs[communicator.Rank])], Output = outputs[communicator.Rank] };
            return (model, Trainer.Fit(model, new Sgd(model, 0.1f), Loader(communicator, batchSize: 8), Validation, options));
        });

        Assert.Contains("Epoch 1/1", outputs[0].ToString(), StringComparison.Ordinal);
        Assert.Equal("", outputs[1].ToString());
        Assert.Equal(2, File.ReadAllLines(logs[0]).Length);
        Assert.False(File.Exists(logs[1]), "rank 1 wrote a log");
    }

    [Fact]
    public void A_loader_sharded_for_another_rank_is_an_error_naming_both()
    {
        var communicator = ThreadCommunicator.Create(2)[1];
        var model = new BlobClassifier();
        var loader = new DataLoader(Train, new DataLoaderOptions { BatchSize = 8, ShardIndex = 0, ShardCount = 2 });

        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, new Sgd(model, 0.1f), loader, null, Options(communicator, epochs: 1)));

        Assert.StartsWith("The training DataLoader serves shard 0 of 2 but this process is rank 1 of 2; create it with DataLoaderOptions { ShardIndex = 1, ShardCount = 2 }.", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, communicator.Collectives);
    }

    private static (BlobClassifier Model, History History) Fit(ThreadCommunicator? communicator)
    {
        var model = new BlobClassifier();
        if (communicator is { Rank: > 0 })
        {
            // Rank 0's parameters and optimizer state are everyone's start: these must be overwritten.
            model.Parameters.Fill(communicator.Rank);
        }

        var history = Trainer.Fit(model, new Adam(model, 0.01f), Loader(communicator, batchSize: 16), Validation, Options(communicator, epochs: 2));
        return (model, history);
    }

    private static DataLoader Loader(ThreadCommunicator? communicator, int batchSize, IDataset? dataset = null) =>
        new(dataset ?? Train, new DataLoaderOptions { BatchSize = batchSize, Seed = 3, ShardIndex = communicator?.Rank ?? 0, ShardCount = communicator?.Size ?? 1 });

    private static TrainerOptions Options(ThreadCommunicator? communicator, int epochs) =>
        new() { Epochs = epochs, Communicator = communicator, Output = TextWriter.Null, ValidationBatchSize = 7 };

    private static T[] RunRanks<T>(int ranks, Func<ThreadCommunicator, T> body)
    {
        var communicators = ThreadCommunicator.Create(ranks);
        var results = new T[ranks];
        var failures = new Exception?[ranks];
        var threads = communicators.Select(communicator => new Thread(() =>
        {
            try
            {
                results[communicator.Rank] = body(communicator);
            }
            catch (Exception error)
            {
                failures[communicator.Rank] = error;
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        if (failures.Any(failure => failure is not null))
        {
            throw new AggregateException(failures.OfType<Exception>());
        }

        return results;
    }

    /// <summary>
    /// Counts the buckets started and those started while backward still had the first layer to do: after each
    /// step the gradients are set to NaN, so a bucket that starts while the first gradient is NaN overlaps backward.
    /// </summary>
    private sealed class BackwardProbe(ThreadCommunicator inner, INetwork model) : ICommunicator, ICallback
    {
        public int Rank => inner.Rank;

        public int Size => inner.Size;

        public int Started { get; private set; }

        public int StartedDuringBackward { get; private set; }

        public void Broadcast(Span<float> values, string what) => inner.Broadcast(values, what);

        public void Broadcast(Span<double> values, string what) => inner.Broadcast(values, what);

        public void AllReduceSum(Span<float> values, string what) => inner.AllReduceSum(values, what);

        public void AllReduceSum(Span<double> values, string what) => inner.AllReduceSum(values, what);

        public void StartAllReduceSum(Span<float> values, string what)
        {
            Started++;
            StartedDuringBackward += float.IsNaN(model.Gradients[0]) ? 1 : 0;
            Assert.DoesNotContain(values.ToArray(), float.IsNaN);
            inner.AllReduceSum(values, what);
        }

        public CallbackAction OnBatchEnd(TrainingContext context, int number, float loss)
        {
            model.Gradients.Fill(float.NaN);
            return CallbackAction.Continue;
        }
    }

    private sealed class StopAtBatch(int batch) : ICallback
    {
        public CallbackAction OnBatchEnd(TrainingContext context, int number, float loss) => number == batch ? CallbackAction.Stop : CallbackAction.Continue;
    }
}
