using System;
using System.IO;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace NetGen.Onnx;

/// <summary>
/// Builds an ONNX model (opset 13) from the node list a generated network's <c>ExportOnnx</c> renders at
/// compile time, and writes it. The schema is OnnxSharp's (the one the importer reads); nothing here
/// knows about layers: the generator decides every node, this class only serialises them.
/// </summary>
public sealed class OnnxGraphWriter
{
    /// <summary>The ONNX operator set the generated nodes are written against.</summary>
    public const long Opset = 13;

    private readonly GraphProto graph;

    /// <summary>Starts a graph whose one input and output have a symbolic batch dimension <c>batch</c> before <paramref name="inputShape"/> and <paramref name="outputShape"/>.</summary>
    public OnnxGraphWriter(string name, string input, int[] inputShape, string output, int[] outputShape)
    {
        graph = new GraphProto { Name = name };
        graph.Input.Add(BatchedValue(input, inputShape));
        graph.Output.Add(BatchedValue(output, outputShape));
    }

    /// <summary>Adds a float initializer (a weight under its state_dict name) of <paramref name="shape"/>.</summary>
    public void Initializer(string name, ReadOnlySpan<float> values, int[] shape)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        foreach (var dimension in shape)
        {
            tensor.Dims.Add(dimension);
        }

        // ONNX raw data is little-endian, as are the platforms .NET runs NetGen on.
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        graph.Initializer.Add(tensor);
    }

    /// <summary>Adds a 64-bit integer initializer (e.g. a Reshape's target shape).</summary>
    public void Int64Initializer(string name, long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        graph.Initializer.Add(tensor);
    }

    /// <summary>Adds a node <paramref name="name"/> running <paramref name="op"/> on <paramref name="inputs"/>, with integer and float attributes.</summary>
    public void Node(string op, string name, string[] inputs, string output, (string Name, long Value)[]? ints = null, (string Name, long[] Values)[]? intLists = null, (string Name, float Value)[]? floats = null)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach (var (attribute, value) in ints ?? [])
        {
            node.Attribute.Add(new AttributeProto { Name = attribute, Type = AttributeProto.Types.AttributeType.Int, I = value });
        }

        foreach (var (attribute, values) in intLists ?? [])
        {
            var list = new AttributeProto { Name = attribute, Type = AttributeProto.Types.AttributeType.Ints };
            list.Ints.AddRange(values);
            node.Attribute.Add(list);
        }

        foreach (var (attribute, value) in floats ?? [])
        {
            node.Attribute.Add(new AttributeProto { Name = attribute, Type = AttributeProto.Types.AttributeType.Float, F = value });
        }

        graph.Node.Add(node);
    }

    /// <summary>The model as ONNX protobuf bytes.</summary>
    public byte[] ToBytes()
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "NetGen", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        return model.ToByteArray();
    }

    /// <summary>Writes the model to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllBytes(path, ToBytes());

    private static ValueInfoProto BatchedValue(string name, int[] shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto() };
        tensor.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (var dimension in shape)
        {
            tensor.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dimension });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
