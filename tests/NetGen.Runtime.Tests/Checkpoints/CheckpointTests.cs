using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using NetGen.Checkpoints;
using NetGen.Optimizers;
using Xunit;

namespace NetGen.Runtime.Tests.Checkpoints;

/// <summary>Saving and loading models and optimizer state: layout, round trips, partial loads, atomic writes.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly CheckpointFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void FileFollowsTheSafetensorsLayout()
    {
        var model = new TinyClassifier();
        var path = files.PathOf("tiny.safetensors");

        Checkpoint.Save(path, model, metadata: new Dictionary<string, string> { ["epoch"] = "3" });

        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        Assert.Equal(8 + headerLength + CheckpointFiles.TinyBytes, bytes.Length);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, headerLength));
        var weight = header.RootElement.GetProperty("hidden.weight");
        Assert.Equal("F32", weight.GetProperty("dtype").GetString());
        Assert.Equal(new[] { 3, 4 }, weight.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
        var outputBias = header.RootElement.GetProperty("output.bias").GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        Assert.Equal(new[] { CheckpointFiles.TinyBytes - 8, CheckpointFiles.TinyBytes }, outputBias);
        Assert.Equal("3", header.RootElement.GetProperty("__metadata__").GetProperty("epoch").GetString());
        var lastBias = BitConverter.ToSingle(bytes, 8 + headerLength + CheckpointFiles.TinyBytes - 4);
        Assert.Equal(model.Output.Bias!.Value[1], lastBias);
    }

    [Fact]
    public void RunningStatisticsAndTheStepCountRoundTrip()
    {
        var saved = new Networks.RegularisedMlp();
        var random = new SeededRandom(4);
        var inputs = Enumerable.Range(0, 8 * Networks.RegularisedMlp.Layout.InputSize).Select(_ => random.NextUniform(-1, 1)).ToArray();
        saved.TrainStep(inputs, [0, 1, 2, 0, 1, 2, 0, 1]);
        saved.TrainStep(inputs, [2, 1, 0, 2, 1, 0, 2, 1]);
        var path = files.PathOf("regularised.safetensors");
        Checkpoint.Save(path, saved);

        var loaded = new Networks.RegularisedMlp();
        Assert.False(loaded.Buffers.SequenceEqual(saved.Buffers));
        Checkpoint.Load(path, loaded);

        Assert.True(loaded.Buffers.SequenceEqual(saved.Buffers));
        Assert.Equal(2, loaded.TrainingSteps);
        Assert.Equal("2", Checkpoint.ReadMetadata(path)["netgen.training_steps"]);
        var outputs = (Saved: new float[8 * 3], Loaded: new float[8 * 3]);
        saved.Forward(inputs, outputs.Saved);
        loaded.Forward(inputs, outputs.Loaded);
        Assert.Equal(outputs.Saved, outputs.Loaded);
    }

    [Fact]
    public void PartialLoadIncludesTheSelectedLayersBuffers()
    {
        var saved = new Networks.RegularisedMlp();
        saved.Buffers.Fill(0.5f);
        var path = files.PathOf("regularised.safetensors");
        Checkpoint.Save(path, saved);

        var loaded = new Networks.RegularisedMlp();
        var names = Checkpoint.LoadPartial(path, loaded, ["norm"]);

        Assert.Equal(new[] { "norm.weight", "norm.bias", "norm.running_mean", "norm.running_var" }, names);
        Assert.All(loaded.Buffers.ToArray(), value => Assert.Equal(0.5f, value));
    }

    [Fact]
    public void NegativeStepCountIsRefused()
    {
        var model = new TinyClassifier();

        Assert.Throws<ArgumentOutOfRangeException>(() => model.TrainingSteps = -1);
    }

    [Fact]
    public void ModelRoundTripsBitForBit()
    {
        var saved = new TinyClassifier();
        saved.ResetParameters(11);
        var path = files.PathOf("tiny.safetensors");
        Checkpoint.Save(path, saved);

        var loaded = new TinyClassifier();
        Assert.False(loaded.Parameters.SequenceEqual(saved.Parameters));
        Checkpoint.Load(path, loaded);

        Assert.True(loaded.Parameters.SequenceEqual(saved.Parameters));
        Assert.Equal("pt", Checkpoint.ReadMetadata(path)["format"]);
    }

    [Fact]
    public void OptimizerStateStepAndLearningRateRoundTrip()
    {
        var model = new TinyClassifier();
        var adam = new Adam(model, learningRate: 0.0123f);
        model.TrainStep(new float[] { 1, 2, 3, 4, -1, 0, 1, 2 }, [0, 1]);
        adam.Step(model);
        adam.Step(model);
        var path = files.PathOf("tiny.safetensors");
        Checkpoint.Save(path, model, adam);

        var resumed = new Adam(new TinyClassifier(), learningRate: 1f);
        Checkpoint.Load(path, new TinyClassifier(), resumed);

        Assert.Equal(2, resumed.StepCount);
        Assert.Equal(0.0123f, resumed.LearningRate);
        for (var i = 0; i < adam.State.Count; i++)
        {
            Assert.Equal(adam.State[i].Name, resumed.State[i].Name);
            Assert.Equal(adam.State[i].Values, resumed.State[i].Values);
        }

        Assert.Contains("optimizer.exp_avg_sq", Encoding.UTF8.GetString(File.ReadAllBytes(path)));
    }

    [Fact]
    public void LoadingWithoutAnOptimizerIgnoresTheSavedOptimizerState()
    {
        var model = new TinyClassifier();
        model.ResetParameters(2);
        var path = files.PathOf("tiny.safetensors");
        Checkpoint.Save(path, model, new Adam(model));

        var loaded = new TinyClassifier();
        Checkpoint.Load(path, loaded);

        Assert.True(loaded.Parameters.SequenceEqual(model.Parameters));
    }

    [Fact]
    public void PartialLoadCopiesOnlyTheSelectedLayers()
    {
        var source = new TinyClassifierWideHead();
        source.ResetParameters(9);
        var path = files.PathOf("wide.safetensors");
        Checkpoint.Save(path, source);
        var target = new TinyClassifier();
        var headBefore = target.Output.Weight.ToArray();

        var loaded = Checkpoint.LoadPartial(path, target, ["hidden"]);

        Assert.Equal(new[] { "hidden.weight", "hidden.bias" }, loaded);
        Assert.Equal(source.Hidden.Weight.ToArray(), target.Hidden.Weight.ToArray());
        Assert.Equal(source.Hidden.Bias!.Value.ToArray(), target.Hidden.Bias!.Value.ToArray());
        Assert.Equal(headBefore, target.Output.Weight.ToArray());
    }

    [Fact]
    public void PartialLoadOfAMismatchedLayerChangesNothing()
    {
        var path = files.PathOf("wide.safetensors");
        Checkpoint.Save(path, new TinyClassifierWideHead());
        var target = new TinyClassifier();
        var before = target.Parameters.ToArray();

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.LoadPartial(path, target, name => true));

        Assert.Equal("output.weight", error.TensorName);
        Assert.Contains("has shape [5, 3] in the file but [2, 3] in TinyClassifier", error.Message);
        Assert.Equal(before, target.Parameters.ToArray());
    }

    [Fact]
    public void PartialLoadRejectsAPrefixThatMatchesNothing()
    {
        var path = files.PathOf("tiny.safetensors");
        Checkpoint.Save(path, new TinyClassifier());

        var error = Assert.Throws<ArgumentException>(() => Checkpoint.LoadPartial(path, new TinyClassifier(), ["hid"]));

        Assert.Contains("'hid' matches none of TinyClassifier's tensors (hidden.weight, hidden.bias, output.weight, output.bias)", error.Message);
    }

    [Fact]
    public void FailedWriteLeavesTheExistingFileIntactAndNoTemporaryFile()
    {
        var path = files.PathOf("model.safetensors");
        Checkpoint.Save(path, new TinyClassifier());
        var before = File.ReadAllBytes(path);

        var error = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100]);
            throw new IOException("disk full (simulated)");
        }));

        Assert.Equal("disk full (simulated)", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(files.Directory));
    }

    [Fact]
    public void SaveWithReservedMetadataFailsBeforeTouchingTheFile()
    {
        var path = files.PathOf("model.safetensors");
        Checkpoint.Save(path, new TinyClassifier());
        var before = File.ReadAllBytes(path);
        var other = new TinyClassifier();
        other.ResetParameters(3);

        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, other, metadata: new Dictionary<string, string> { ["netgen.optimizer"] = "x" }));

        Assert.Contains("'netgen.optimizer' is reserved", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void OptimizerForAnotherNetworkIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Save(files.PathOf("x.safetensors"), new TinyClassifier(), new Adam(1000)));

        Assert.Contains("Adam updates 1000 parameters but TinyClassifier trains 23", error.Message);
    }
}
