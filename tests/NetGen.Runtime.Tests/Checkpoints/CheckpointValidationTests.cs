using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NetGen.Checkpoints;
using NetGen.Optimizers;
using Xunit;

namespace NetGen.Runtime.Tests.Checkpoints;

/// <summary>
/// Every malformed or mismatched checkpoint is rejected with an exception naming the file and the
/// tensor, before the model or optimizer is touched.
/// </summary>
public sealed class CheckpointValidationTests : IDisposable
{
    private readonly CheckpointFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void HeaderLengthBeyondTheFileIsRejected()
    {
        var path = files.PathOf("bad.safetensors");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, (byte)'{', (byte)'}']);

        AssertRejected(path, null, "the header length field says 4294967295 bytes, but the file holds 2 bytes after it");
    }

    [Fact]
    public void FileShorterThanTheLengthFieldIsRejected()
    {
        var path = files.PathOf("bad.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        AssertRejected(path, null, "fewer than the 8-byte header length");
    }

    [Fact]
    public void HeaderThatIsNotJsonIsRejected()
    {
        var path = files.WriteRaw("bad.safetensors", "PK\u0003\u0004 not json", CheckpointFiles.TinyBytes);

        AssertRejected(path, null, "the header is not well-formed JSON");
    }

    [Fact]
    public void TruncatedFileIsRejected()
    {
        var path = files.PathOf("tiny.safetensors");
        Checkpoint.Save(path, new TinyClassifier());
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);

        AssertRejected(path, "output.bias", "run past the end of the data (88 bytes follow the header); the file is truncated");
    }

    [Fact]
    public void MissingTensorIsRejected()
    {
        var entries = CheckpointFiles.Tiled(CheckpointFiles.TinyTensors[..3]);
        var path = files.WriteRaw("bad.safetensors", "{" + string.Join(",", entries) + "}", CheckpointFiles.TinyBytes - 8);

        AssertRejected(path, "output.bias", "is missing; TinyClassifier needs it with shape [2]");
    }

    [Fact]
    public void MalformedStepCountIsRejectedAndNothingChanges()
    {
        var entries = CheckpointFiles.Tiled(CheckpointFiles.TinyTensors);
        var path = files.WriteRaw("bad.safetensors", "{" + string.Join(",", entries) + ",\"__metadata__\":{\"netgen.training_steps\":\"-3\"}}", CheckpointFiles.TinyBytes);

        AssertRejected(path, null, "metadata 'netgen.training_steps' is '-3', not a non-negative step count");
    }

    [Fact]
    public void ExtraTensorIsRejected()
    {
        var entries = CheckpointFiles.Tiled([.. CheckpointFiles.TinyTensors, ("extra.weight", [1])]);
        var path = files.WriteRaw("bad.safetensors", "{" + string.Join(",", entries) + "}", CheckpointFiles.TinyBytes + 4);

        AssertRejected(path, "extra.weight", "is not a parameter of TinyClassifier");
    }

    [Fact]
    public void WrongShapeIsRejected()
    {
        var tensors = CheckpointFiles.TinyTensors;
        tensors[0] = ("hidden.weight", [4, 3]);
        var path = files.WriteRaw("bad.safetensors", "{" + string.Join(",", CheckpointFiles.Tiled(tensors)) + "}", CheckpointFiles.TinyBytes);

        AssertRejected(path, "hidden.weight", "has shape [4, 3] in the file but [3, 4] in TinyClassifier");
    }

    [Fact]
    public void WrongDtypeIsRejected()
    {
        var entries = CheckpointFiles.Tiled(CheckpointFiles.TinyTensors);
        entries[1] = entries[1].Replace("F32", "F16", StringComparison.Ordinal);
        var path = files.WriteRaw("bad.safetensors", "{" + string.Join(",", entries) + "}", CheckpointFiles.TinyBytes);

        AssertRejected(path, "hidden.bias", "dtype is F16; NetGen checkpoints hold F32 tensors only");
    }

    [Fact]
    public void OffsetsOutOfRangeAreRejected()
    {
        var entries = CheckpointFiles.Tiled(CheckpointFiles.TinyTensors);
        entries[3] = CheckpointFiles.Entry("output.bias", "F32", [2], 1000, 1008);
        var path = files.WriteRaw("bad.safetensors", "{" + string.Join(",", entries) + "}", CheckpointFiles.TinyBytes);

        AssertRejected(path, "output.bias", "leave bytes [84, 1000) of the data belonging to no tensor");
    }

    [Fact]
    public void OverlappingOffsetsAreRejected()
    {
        var entries = CheckpointFiles.Tiled(CheckpointFiles.TinyTensors);
        entries[1] = CheckpointFiles.Entry("hidden.bias", "F32", [3], 40, 52);
        var path = files.WriteRaw("bad.safetensors", "{" + string.Join(",", entries) + "}", CheckpointFiles.TinyBytes);

        AssertRejected(path, "hidden.bias", "overlap tensor 'hidden.weight' [0, 48]");
    }

    [Fact]
    public void OffsetsDisagreeingWithTheShapeAreRejected()
    {
        var entries = CheckpointFiles.Tiled(CheckpointFiles.TinyTensors);
        entries[3] = CheckpointFiles.Entry("output.bias", "F32", [2], 84, 88);
        var path = files.WriteRaw("bad.safetensors", "{" + string.Join(",", entries) + "}", CheckpointFiles.TinyBytes - 4);

        AssertRejected(path, "output.bias", "span 4 bytes but shape [2] of F32 needs 8");
    }

    [Fact]
    public void CheckpointOfAnotherNetworkIsRejectedAndNamesIt()
    {
        var path = files.PathOf("mlp.safetensors");
        Checkpoint.Save(path, new TinyClassifierWideHead());

        var error = AssertRejected(path, "output.weight", "has shape [5, 3] in the file but [2, 3] in TinyClassifier");

        Assert.Contains("saved from NetGen.Runtime.Tests.Checkpoints.TinyClassifierWideHead", error.Message);
    }

    [Fact]
    public void OptimizerOfAnotherKindLeavesModelAndOptimizerUnchanged()
    {
        var source = new TinyClassifier();
        source.ResetParameters(4);
        var path = files.PathOf("adam.safetensors");
        Checkpoint.Save(path, source, new Adam(source));
        var model = new TinyClassifier();
        var rmsProp = new RmsProp(model, learningRate: 0.5f);
        var before = model.Parameters.ToArray();

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, model, rmsProp));

        Assert.Contains("holds Adam state, which cannot resume RmsProp", error.Message);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Equal(0.5f, rmsProp.LearningRate);
        Assert.Equal(0, rmsProp.StepCount);
    }

    [Fact]
    public void CorruptOptimizerStateLeavesModelAndOptimizerUnchanged()
    {
        var model = new TinyClassifier();
        var tensors = CheckpointFiles.Tiled([.. CheckpointFiles.TinyTensors, ("optimizer.exp_avg", [23]), ("optimizer.exp_avg_sq", [22])]);
        var metadata = "\"__metadata__\":{\"netgen.optimizer\":\"Adam\",\"netgen.optimizer.step\":\"7\",\"netgen.optimizer.learning_rate\":\"0.1\"}";
        var path = files.WriteRaw("bad.safetensors", "{" + metadata + "," + string.Join(",", tensors) + "}", CheckpointFiles.TinyBytes + (45 * 4));
        var adam = new Adam(model);
        var before = model.Parameters.ToArray();

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, model, adam));

        Assert.Equal("optimizer.exp_avg_sq", error.TensorName);
        Assert.Contains("has shape [22] but Adam has 23 parameters", error.Message);
        Assert.Equal(before, model.Parameters.ToArray());
        Assert.Equal(0, adam.StepCount);
        Assert.Equal(0.001f, adam.LearningRate);
        Assert.All(adam.State, state => Assert.All(state.Values, v => Assert.Equal(0f, v)));
    }

    [Fact]
    public void ModelOnlyCheckpointCannotResumeAnOptimizer()
    {
        var path = files.PathOf("tiny.safetensors");
        Checkpoint.Save(path, new TinyClassifier());
        var model = new TinyClassifier();

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, model, new Adam(model)));

        Assert.Contains("holds no optimizer state, so it cannot resume Adam", error.Message);
    }

    /// <summary>Loads <paramref name="path"/> into a fresh model, expecting rejection; checks the message and that nothing changed.</summary>
    private static CheckpointException AssertRejected(string path, string? tensor, string fragment)
    {
        var model = new TinyClassifier();
        var before = model.Parameters.ToArray();

        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, model));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(tensor, error.TensorName);
        Assert.Contains(path, error.Message);
        Assert.Contains(fragment, error.Message);
        Assert.Equal(before, model.Parameters.ToArray());
        return error;
    }
}
