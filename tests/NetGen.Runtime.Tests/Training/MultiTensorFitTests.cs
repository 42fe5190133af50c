using System;
using System.IO;
using System.Linq;
using NetGen.Checkpoints;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Runtime.Tests.Distributed;
using NetGen.Runtime.Tests.Networks;
using NetGen.Training;
using Xunit;

namespace NetGen.Runtime.Tests.Training;

/// <summary>Trainer.Fit on TestMultiIo (two inputs; digit on labels, score on float targets, parity on labels) from a TensorDataset.</summary>
public class MultiTensorFitTests
{
    private const int Samples = 128;

    [Fact]
    public void Fit_trains_both_inputs_and_every_output_and_records_each_outputs_loss()
    {
        var (train, validation) = (Learnable(Samples, seed: 3), Learnable(64, seed: 4));
        var model = new TestMultiIo();
        var untrained = TotalLoss(model, validation);

        var history = Trainer.Fit(model, new Adam(model, learningRate: 0.01f), new TensorLoader(train, batchSize: 16, seed: 1), validation,
            new TrainerOptions { Epochs = 30, Output = TextWriter.Null, Progress = ProgressMode.EpochsOnly });

        var last = history.Epochs[^1];
        Assert.True(untrained > 1.5, $"untrained validation loss {untrained}");
        Assert.True(last.ValidationLoss < 0.5, $"validation loss {last.ValidationLoss} after training, {untrained} before");
        Assert.Equal(["digit_loss", "score_loss", "parity_loss", "val_digit_loss", "val_score_loss", "val_parity_loss", "val_digit_accuracy", "val_parity_accuracy"], last.Metrics.Keys);
        // The total is the weighted sum of the outputs' losses (weights 1, 0.3 and 2).
        Assert.Equal(last.TrainLoss, last.Metrics["digit_loss"] + (0.3 * last.Metrics["score_loss"]) + (2 * last.Metrics["parity_loss"]), 4);
        Assert.Equal(last.ValidationLoss!.Value, last.Metrics["val_digit_loss"] + (0.3 * last.Metrics["val_score_loss"]) + (2 * last.Metrics["val_parity_loss"]), 4);
        Assert.True(last.Metrics["val_digit_accuracy"] > 0.9, $"digit accuracy {last.Metrics["val_digit_accuracy"]}");
        Assert.True(last.Metrics["val_parity_accuracy"] > 0.9, $"parity accuracy {last.Metrics["val_parity_accuracy"]}");
        Assert.Equal(TotalLoss(model, validation), last.ValidationLoss!.Value, 4);
    }

    [Fact]
    public void Callbacks_log_each_outputs_columns_and_checkpoint_on_an_outputs_validation_loss()
    {
        var folder = Directory.CreateTempSubdirectory("netgen-multitensor-").FullName;
        var (csv, checkpoint) = (Path.Combine(folder, "log.csv"), Path.Combine(folder, "best.ckpt"));
        var model = new TestMultiIo();

        var history = Trainer.Fit(model, new Adam(model, learningRate: 0.01f), new TensorLoader(Learnable(64, seed: 3), batchSize: 16), Learnable(32, seed: 4),
            new TrainerOptions { Epochs = 3, Output = TextWriter.Null, Callbacks = [new CsvLogger(csv), new ModelCheckpoint(checkpoint, "val_parity_loss", saveBestOnly: false, includeOptimizer: false)] });

        var logged = History.ReadCsv(csv).Epochs[^1];
        Assert.Equal(history.Epochs[^1].Metrics["val_parity_accuracy"], logged.Metrics["val_parity_accuracy"], 6);
        Assert.Equal(history.Epochs[^1].Metrics["score_loss"], logged.Metrics["score_loss"], 6);
        var restored = new TestMultiIo();
        Checkpoint.Load(checkpoint, restored);
        Assert.Equal(model.Parameters.ToArray(), restored.Parameters.ToArray());
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("metadata", "Metadata")]
    [InlineData("parity", "parity")]
    public void A_dataset_without_one_of_the_networks_tensors_is_refused_naming_it(string left_out, string named)
    {
        var full = Learnable(8, seed: 1);
        var partial = new TensorDataset(8);
        foreach (var input in new[] { "image", "metadata" }.Where(n => n != left_out))
        {
            partial.WithInput(input, full.Input(input));
        }

        partial.WithTargets("score", full.Targets("score"));
        foreach (var output in new[] { "digit", "parity" }.Where(n => n != left_out))
        {
            partial.WithLabels(output, full.Labels(output));
        }

        var model = new TestMultiIo();
        var error = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, new Adam(model), new TensorLoader(partial, 4), null, new TrainerOptions { Epochs = 1, Output = TextWriter.Null }));
        Assert.Contains($"'{named}'", error.Message);
        Assert.Equal("train", error.ParamName);
        Assert.Equal(0, model.TrainingSteps);
    }

    [Fact]
    public void A_tensor_of_the_wrong_size_or_one_the_network_lacks_is_refused_naming_it()
    {
        var model = new TestMultiIo();
        var full = Learnable(8, seed: 1);
        var wrongSize = new TensorDataset(8).WithInput("image", full.Input("image")).WithInput("metadata", new float[8 * 4])
            .WithLabels("digit", full.Labels("digit")).WithTargets("score", full.Targets("score")).WithLabels("parity", full.Labels("parity"));
        var extra = Learnable(8, seed: 1).WithInput("mask", new float[8]);

        var size = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, new Adam(model), new TensorLoader(full, 4), wrongSize, new TrainerOptions { Epochs = 1, Output = TextWriter.Null }));
        var unknown = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, new Adam(model), new TensorLoader(extra, 4), null, new TrainerOptions { Epochs = 1, Output = TextWriter.Null }));

        Assert.StartsWith("Input 'Metadata' of validation holds 32 floats, not 8 samples × 3", size.Message);
        Assert.StartsWith("train holds the tensor 'mask', which is none of TestMultiIo's inputs", unknown.Message);
        Assert.Equal(0, model.TrainingSteps);
    }

    [Fact]
    public void Data_parallel_training_is_refused_for_a_network_with_several_tensors()
    {
        var model = new TestMultiIo();
        var communicator = ThreadCommunicator.Create(1)[0];

        var error = Assert.Throws<NotSupportedException>(() => Trainer.Fit(model, new Adam(model), new TensorLoader(Learnable(8, seed: 1), 4), null,
            new TrainerOptions { Epochs = 1, Output = TextWriter.Null, Communicator = communicator }));

        Assert.Contains("TrainerOptions.Communicator", error.Message);
    }

    [Fact]
    public void Training_steps_allocate_nothing()
    {
        var model = new TestMultiIo();
        var probe = new AllocationsPerBatch(batches: 8);

        Trainer.Fit(model, new Adam(model), new TensorLoader(Learnable(Samples, seed: 2), batchSize: 16), null,
            new TrainerOptions { Epochs = 1, Output = TextWriter.Null, Progress = ProgressMode.EpochsOnly, Callbacks = [probe] });

        // From the third batch on (the first steps size the network's buffers), a step allocates nothing.
        Assert.Equal(0, probe.Bytes[^1] - probe.Bytes[2]);
    }

    /// <summary>The digit is the brightest of four image pixels, the score half the first two metadata values, the parity the third one's sign.</summary>
    private static TensorDataset Learnable(int count, int seed)
    {
        var random = new SeededRandom((ulong)seed);
        var image = Enumerable.Range(0, count * TestMultiIo.Layout.ImageSize).Select(_ => random.NextUniform(-1, 1)).ToArray();
        var metadata = Enumerable.Range(0, count * TestMultiIo.Layout.MetadataSize).Select(_ => random.NextUniform(-1, 1)).ToArray();
        var digit = new int[count];
        var score = new float[count * 2];
        var parity = new int[count];
        for (var s = 0; s < count; s++)
        {
            var pixels = image.AsSpan(s * TestMultiIo.Layout.ImageSize, 4);
            digit[s] = pixels.IndexOf(pixels.ToArray().Max());
            pixels[digit[s]] += 2;
            score[2 * s] = metadata[3 * s] / 2;
            score[(2 * s) + 1] = metadata[(3 * s) + 1] / 2;
            parity[s] = metadata[(3 * s) + 2] > 0 ? 1 : 0;
        }

        return new TensorDataset(count).WithInput("image", image).WithInput("metadata", metadata)
            .WithLabels("digit", digit).WithTargets("score", score).WithLabels("parity", parity);
    }

    private static double TotalLoss(TestMultiIo model, TensorDataset data)
    {
        var (digits, scores, parities) = (new float[data.Count * 4], new float[data.Count * 2], new float[data.Count]);
        return model.Evaluate(data.Input("image"), data.Input("metadata"), data.Labels("digit"), data.Targets("score"), data.Labels("parity"), digits, scores, parities).Total;
    }

    /// <summary>The thread's allocated bytes at the end of each of the first batches.</summary>
    private sealed class AllocationsPerBatch(int batches) : ICallback
    {
        public long[] Bytes { get; } = new long[batches];

        public CallbackAction OnBatchEnd(TrainingContext context, int batch, float loss)
        {
            if (batch < Bytes.Length)
            {
                Bytes[batch] = GC.GetAllocatedBytesForCurrentThread();
            }

            return CallbackAction.Continue;
        }
    }
}
