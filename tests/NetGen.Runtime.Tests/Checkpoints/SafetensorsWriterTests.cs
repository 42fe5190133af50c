using System;
using System.Linq;
using NetGen.Checkpoints;
using Xunit;

namespace NetGen.Runtime.Tests.Checkpoints;

/// <summary>Tensors written without a network (as the ONNX importer writes weights) load into a network with the same names.</summary>
public sealed class SafetensorsWriterTests : IDisposable
{
    private readonly CheckpointFiles files = new();

    [Fact]
    public void WrittenTensorsLoadIntoANetworkOfThoseNames()
    {
        var model = new TinyClassifier();
        var tensors = model.ParameterLayout
            .Select((p, k) => new NamedTensor(p.Name, [.. p.Shape], [.. Enumerable.Range(0, p.Length).Select(i => (k * 100) + i + 0.5f)]))
            .ToList();
        var path = files.PathOf("written.safetensors");

        SafetensorsWriter.Write(path, tensors, new System.Collections.Generic.Dictionary<string, string> { ["source"] = "test" });
        Checkpoint.Load(path, model);

        foreach (var (parameter, tensor) in model.ParameterLayout.Zip(tensors))
        {
            Assert.Equal(tensor.Values, model.Parameters.Slice(parameter.Offset, parameter.Length).ToArray());
        }

        Assert.Equal("test", Checkpoint.ReadMetadata(path)["source"]);
    }

    [Fact]
    public void ValuesThatDoNotFillTheShapeAreAnErrorNamingTheTensor()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SafetensorsWriter.Write(files.PathOf("bad.safetensors"), [new NamedTensor("hidden.weight", [3, 4], new float[11])]));

        Assert.StartsWith("Tensor 'hidden.weight' has 11 values but its shape [3, 4] holds 12.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoTensorsOfOneNameAreAnError()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            SafetensorsWriter.Write(files.PathOf("twice.safetensors"), [new NamedTensor("b", [1], [1f]), new NamedTensor("b", [1], [2f])]));

        Assert.StartsWith("Two tensors are named 'b'.", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => files.Dispose();
}
