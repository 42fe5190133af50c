using System.Collections.Generic;
using System.Linq;
using Google.Protobuf;
using Onnx;

namespace NetGen.Import.Tests;

/// <summary>Builds small ONNX models in a test, with the same protobuf schema the importer reads.</summary>
internal sealed class OnnxModelBuilder
{
    private readonly GraphProto graph = new() { Name = "test" };
    private readonly long opset;

    public OnnxModelBuilder(string input, long[] inputShape, long opset = 13)
    {
        this.opset = opset;
        graph.Input.Add(Value(input, inputShape));
    }

    /// <summary>Adds an initializer of <paramref name="shape"/> whose values are a fixed function of their index, so every model is the same each run.</summary>
    public string Constant(string name, long[] shape, int seed, float scale = 0.3f, float offset = 0f)
    {
        var count = (int)shape.Aggregate(1L, (p, d) => p * d);
        var values = Enumerable.Range(0, count).Select(i => offset + (scale * (float)System.Math.Sin((i * 1.7) + (seed * 3.1)))).ToArray();
        return Constant(name, shape, values);
    }

    public string Constant(string name, long[] shape, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(shape);
        tensor.RawData = ByteString.CopyFrom(values.SelectMany(System.BitConverter.GetBytes).ToArray());
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a node; its output is named after it (or its position, for a node without a name).</summary>
    public string Node(string op, string name, string[] inputs, params AttributeProto[] attributes) =>
        NodeWithOutputs(op, name, inputs, [(name.Length > 0 ? name : "node" + graph.Node.Count) + "_out"], attributes)[0];

    public string[] NodeWithOutputs(string op, string name, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        graph.Node.Add(node);
        return outputs;
    }

    public ModelProto Build(string output, long[] outputShape)
    {
        graph.Output.Add(Value(output, outputShape));
        var model = new ModelProto { IrVersion = 8, ProducerName = "NetGen.Import.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        return model;
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    private static ValueInfoProto Value(string name, IEnumerable<long> shape)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto() };
        foreach (var (dimension, i) in shape.Select((d, i) => (d, i)))
        {
            tensor.Shape.Dim.Add(i == 0 ? new TensorShapeProto.Types.Dimension { DimParam = "batch" } : new TensorShapeProto.Types.Dimension { DimValue = dimension });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }
}
