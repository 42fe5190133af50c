using System.IO;
using System.Linq;
using Onnx;

namespace NetGen.Import;

/// <summary>Reads one constant of an ONNX model, for data a model keeps beside its weights (a preprocessing model's mean image).</summary>
public static class OnnxInitializers
{
    /// <summary>The shape and float32 values of the initializer <paramref name="name"/> in the model at <paramref name="path"/>.</summary>
    /// <exception cref="OnnxImportException">The model has no such initializer, or it is not float32.</exception>
    public static (int[] Shape, float[] Values) Read(string path, string name)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var tensor = model.Graph.Initializer.FirstOrDefault(t => t.Name == name)
            ?? throw new OnnxImportException($"'{path}' has no initializer '{name}' (it has {string.Join(", ", model.Graph.Initializer.Select(t => t.Name))}).");
        var reader = new OnnxNode(new NodeProto { Name = name, OpType = "initializer" }, 0);
        return (OnnxTensors.Shape(tensor), OnnxTensors.Floats(tensor, reader));
    }
}
