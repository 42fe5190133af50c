using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Onnx;
using Xunit;
using static NetGen.Import.Tests.OnnxModelBuilder;

namespace NetGen.Import.Tests;

/// <summary>The rest of the importer's errors, one case each: a model that triggers it and the exact message.</summary>
public sealed class ImportErrorCaseTests
{
    private static readonly Dictionary<string, (Func<ModelProto> Model, string Message)> Cases = new()
    {
        ["a Conv weight that is not 4-D"] = (() => Conv(weight: [4, 3, 3]), "Node 'conv' (Conv), attribute 'W': has shape [4, 3, 3]; NetGen convolutions are 2-D, with a weight [filters, channels, kernel, kernel]."),
        ["a Conv without weight"] = (() => OneNode("Conv", []), "Node 'n1' (Conv), attribute 'W': is missing; NetGen needs it as a constant (initializer)."),
        ["a kernel_shape other than the weight's"] = (() => Conv(attributes: Ints("kernel_shape", 5, 5)), "Node 'conv' (Conv), attribute 'kernel_shape': is 5×5 but the weight's kernel is 3×3."),
        ["pads with auto_pad VALID"] = (() => Conv(attributes: [String("auto_pad", "VALID"), Ints("pads", 1, 1, 1, 1)]), "Node 'conv' (Conv), attribute 'pads': is [1, 1, 1, 1] with auto_pad VALID, which means no padding."),
        ["three pads"] = (() => Conv(attributes: Ints("pads", 1, 1, 1)), "Node 'conv' (Conv), attribute 'pads': is [1, 1, 1]; NetGen takes four non-negative pads [top, left, bottom, right]."),
        ["three strides"] = (() => Conv(attributes: Ints("strides", 1, 1, 1)), "Node 'conv' (Conv), attribute 'strides': is [1, 1, 1]; NetGen's windows are 2-D (two values)."),
        ["an attribute of another type"] = (() => Conv(attributes: Float("group", 1f)), "Node 'conv' (Conv), attribute 'group': is of type FLOAT where ONNX defines INT."),
        ["a pool without kernel_shape"] = (() => OneNode("MaxPool", []), "Node 'n1' (MaxPool), attribute 'kernel_shape': is missing; ONNX requires it here."),
        ["MaxPool's storage_order 1"] = (() => OneNode("MaxPool", [], Ints("kernel_shape", 2, 2), Int("storage_order", 1)), "Node 'n1' (MaxPool), attribute 'storage_order': is 1 (column-major indices); NetGen's MaxPool has no Indices output."),
        ["MaxPool's Indices read"] = (MaxPoolIndicesRead, "Node 'pool' (MaxPool), attribute 'Indices': is read by another node; NetGen's MaxPool has no Indices output."),
        ["AveragePool's ceil_mode 1"] = (() => OneNode("AveragePool", [], Ints("kernel_shape", 2, 2), Int("ceil_mode", 1)), "Node 'n1' (AveragePool), attribute 'ceil_mode': is 1; NetGen pools round the output size down (ceil_mode 0); add a pad on the bottom and right instead."),
        ["BatchNormalization in training mode"] = (() => BatchNorm(1, Int("training_mode", 1)), "Node 'norm' (BatchNormalization), attribute 'training_mode': is 1; the importer reads models saved for inference (training_mode 0)."),
        ["BatchNormalization's running mean read"] = (() => BatchNorm(2), "Node 'norm' (BatchNormalization), attribute 'outputs': 'running_mean' is read by another node, but it is the running statistics NetGen's BatchNorm updates internally; NetGen layers have one output."),
        ["a Gemm bias of the wrong shape"] = (() => Dense("Gemm", [4, 2], [2, 2]), "Node 'fc' (Gemm), attribute 'C': has shape [2, 2]; NetGen's Dense adds one bias per unit ([2] or [1, 2])."),
        ["a MatMul weight that is no matrix"] = (() => Dense("MatMul", [4, 2, 1], null), "Node 'fc' (MatMul), attribute 'B': has shape [4, 2, 1]; NetGen's Dense takes a matrix."),
        ["an added bias of the wrong size"] = (AddedBiasOfWrongSize, "Node 'bias' (Add), attribute 'B': adds a constant of shape [3] to a Dense of 2 units; only one bias per unit can be folded into it."),
        ["a Concat of a constant"] = (() => OneNodeWith("Concat", "c", [1, 3, 8, 8], Int("axis", 1)), "Node 'n1' (Concat), attribute 'inputs': include the constant 'c'; NetGen's Concat joins computed tensors."),
        ["a Concat without axis"] = (() => OneNode("Concat", ["image"]), "Node 'n1' (Concat), attribute 'axis': is missing; NetGen's Concat joins channels or features (axis 1)."),
        ["Dropout in training mode"] = (DropoutInTraining, "Node 'drop' (Dropout), attribute 'training_mode': is true; the importer reads models saved for inference."),
        ["Softmax over axis 0"] = (() => DenseThen("Softmax", Int("axis", 0)), "Node 'then' (Softmax), attribute 'axis': is 0; NetGen's Softmax runs over the features of a Dense layer (axis 1 or -1)."),
        ["Relu of the network input"] = (() => OneNode("Relu", []), "Node 'n1' (Relu): reads the network input 'image'; NetGen applies Relu inside the layer before it, and there is none."),
        ["a second activation"] = (SecondActivation, "Node 'again' (Relu): follows 'fc (MatMul)', which already ends in ReLU; NetGen layers apply one activation."),
        ["an operator of another domain"] = (OtherDomain, "Node 'n1' (Conv): is an operator of the domain 'com.microsoft'; the NetGen importer translates standard ONNX operators only."),
        ["weights in an external file"] = (ExternalWeights, "Node 'fc' (MatMul): initializer 'w' keeps its data in an external file; save the model with its weights inside (onnx.save(..., save_as_external_data=False))."),
        ["fewer values than the shape holds"] = (ShortWeights, "Node 'fc' (MatMul): initializer 'w' has 7 values for its shape [4, 2] (8)."),
        ["two graph inputs"] = (TwoInputs, "The graph has 2 inputs besides its initializers (x, y); a NetGen network has one."),
        ["an integer graph input"] = (IntegerInput, "The graph input 'x' is not a float32 tensor; NetGen networks take float32 inputs."),
        ["an unknown dimension"] = (UnknownDimension, "The graph input 'image' has shape [batch, 3, height, 8]; NetGen needs [batch, …] with every dimension after the batch known."),
        ["the input as output"] = (() => new OnnxModelBuilder("x", [1, 4]).Build("x", [1, 4]), "The graph output 'x' is the network input itself, or no node produces it; there is no layer to import."),
        ["a graph out of order"] = (OutOfOrder, "Node 'second' (Relu): reads 'first_out', which no earlier node produces; the graph must be in topological order."),
        ["a model without graph"] = (() => new ModelProto { IrVersion = 8 }, "'bad.onnx' has no graph."),
    };

    public static IEnumerable<object[]> CaseNames => Cases.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void IsOneErrorNamingWhatIsAtFault(string name)
    {
        var (model, message) = Cases[name];

        var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model(), "bad.onnx", "Bad", "Imported"));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("Bad Name", "Imported", "'Bad Name' is not a C# identifier. (Parameter 'className')")]
    [InlineData("Bad", "My..Models", "'My..Models' is not a C# namespace (identifiers joined by dots). (Parameter 'namespaceName')")]
    public void AClassOrNamespaceThatIsNoCSharpNameIsAnArgumentError(string className, string namespaceName, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => OnnxImporter.Import(ImportedOperatorTests.DenseGraph(), "dense.onnx", className, namespaceName));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void AFileThatIsNoOnnxModelIsAnErrorNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"netgen-not-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0x07]);
        try
        {
            var error = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(path, "Bad", "Imported"));

            Assert.StartsWith($"'{path}' is not an ONNX model: ", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnInitializerTheModelDoesNotHaveIsAnErrorListingThoseItHas()
    {
        var path = Path.Combine(Path.GetTempPath(), $"netgen-initializers-{Guid.NewGuid():N}.onnx");
        var m = new OnnxModelBuilder("x", [1, 4]);
        File.WriteAllBytes(path, m.Build(m.Node("MatMul", "fc", ["x", m.Constant("w", [4, 2], 1)]), [1, 2]).ToByteArray());
        try
        {
            Assert.Equal([4, 2], OnnxInitializers.Read(path, "w").Shape);
            var error = Assert.Throws<OnnxImportException>(() => OnnxInitializers.Read(path, "MeanImage"));

            Assert.Equal($"'{path}' has no initializer 'MeanImage' (it has w).", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ModelProto OneNode(string op, string[] extraInputs, params AttributeProto[] attributes)
    {
        var m = new OnnxModelBuilder("image", [1, 3, 8, 8]);
        return m.Build(m.Node(op, "n1", ["image", .. extraInputs], attributes), [1, 3, 8, 8]);
    }

    private static ModelProto OneNodeWith(string op, string constant, long[] shape, params AttributeProto[] attributes)
    {
        var m = new OnnxModelBuilder("image", [1, 3, 8, 8]);
        return m.Build(m.Node(op, "n1", ["image", m.Constant(constant, shape, 1)], attributes), [1, 3, 8, 8]);
    }

    private static ModelProto Conv(long[]? weight = null, params AttributeProto[] attributes)
    {
        var m = new OnnxModelBuilder("image", [1, 3, 8, 8]);
        return m.Build(m.Node("Conv", "conv", ["image", m.Constant("w", weight ?? [4, 3, 3, 3], 1)], attributes), [1, 4, 6, 6]);
    }

    private static ModelProto MaxPoolIndicesRead()
    {
        var m = new OnnxModelBuilder("image", [1, 3, 8, 8]);
        var outputs = m.NodeWithOutputs("MaxPool", "pool", ["image"], ["pooled", "indices"], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2));
        return m.Build(m.Node("Add", "sum", [outputs[0], outputs[1]]), [1, 3, 4, 4]);
    }

    private static ModelProto BatchNorm(int outputs, params AttributeProto[] attributes)
    {
        var m = new OnnxModelBuilder("image", [1, 3, 8, 8]);
        string[] inputs = ["image", m.Constant("s", [3], 1), m.Constant("b", [3], 2), m.Constant("m", [3], 3), m.Constant("v", [3], 4, 0.1f, 1f)];
        var results = m.NodeWithOutputs("BatchNormalization", "norm", inputs, [.. new[] { "y", "running_mean", "running_var" }.Take(Math.Max(outputs, 1))], attributes);
        return outputs == 1 ? m.Build(results[0], [1, 3, 8, 8]) : m.Build(m.Node("Add", "sum", [results[0], results[1]]), [1, 3, 8, 8]);
    }

    private static ModelProto Dense(string op, long[] weight, long[]? bias)
    {
        var m = new OnnxModelBuilder("x", [1, 4]);
        string[] inputs = bias is null ? ["x", m.Constant("w", weight, 1)] : ["x", m.Constant("w", weight, 1), m.Constant("c", bias, 2)];
        return m.Build(m.Node(op, "fc", inputs), [1, 2]);
    }

    private static ModelProto DenseThen(string op, params AttributeProto[] attributes)
    {
        var m = new OnnxModelBuilder("x", [1, 4]);
        var dense = m.Node("MatMul", "fc", ["x", m.Constant("w", [4, 2], 1)]);
        return m.Build(m.Node(op, "then", [dense], attributes), [1, 2]);
    }

    private static ModelProto AddedBiasOfWrongSize()
    {
        var m = new OnnxModelBuilder("x", [1, 4]);
        var dense = m.Node("MatMul", "fc", ["x", m.Constant("w", [4, 2], 1)]);
        return m.Build(m.Node("Add", "bias", [dense, m.Constant("b", [3], 2)]), [1, 2]);
    }

    private static ModelProto DropoutInTraining()
    {
        var m = new OnnxModelBuilder("x", [1, 4]);
        var training = new TensorProto { Name = "training", DataType = (int)TensorProto.Types.DataType.Bool };
        training.Int32Data.Add(1);
        var model = m.Build(m.Node("Dropout", "drop", ["x", m.Constant("ratio", [], [0.5f]), "training"]), [1, 4]);
        model.Graph.Initializer.Add(training);
        return model;
    }

    private static ModelProto SecondActivation()
    {
        var m = new OnnxModelBuilder("x", [1, 4]);
        var dense = m.Node("MatMul", "fc", ["x", m.Constant("w", [4, 2], 1)]);
        return m.Build(m.Node("Relu", "again", [m.Node("Relu", "first", [dense])]), [1, 2]);
    }

    private static ModelProto OtherDomain()
    {
        var model = Conv();
        model.Graph.Node[0].Name = "n1";
        model.Graph.Node[0].Domain = "com.microsoft";
        return model;
    }

    private static ModelProto ExternalWeights()
    {
        var model = Dense("MatMul", [4, 2], null);
        model.Graph.Initializer[0].DataLocation = TensorProto.Types.DataLocation.External;
        return model;
    }

    private static ModelProto ShortWeights()
    {
        var model = Dense("MatMul", [4, 2], null);
        model.Graph.Initializer[0].RawData = ByteString.CopyFrom(new byte[7 * sizeof(float)]);
        return model;
    }

    private static ModelProto TwoInputs()
    {
        var model = Dense("MatMul", [4, 2], null);
        var second = model.Graph.Input[0].Clone();
        second.Name = "y";
        model.Graph.Input.Add(second);
        return model;
    }

    private static ModelProto IntegerInput()
    {
        var model = Dense("MatMul", [4, 2], null);
        model.Graph.Input[0].Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Int64;
        return model;
    }

    private static ModelProto UnknownDimension()
    {
        var model = OneNode("Flatten", []);
        model.Graph.Input[0].Type.TensorType.Shape.Dim[2] = new TensorShapeProto.Types.Dimension { DimParam = "height" };
        return model;
    }

    private static ModelProto OutOfOrder()
    {
        var m = new OnnxModelBuilder("x", [1, 4]);
        var dense = m.Node("MatMul", "first", ["x", m.Constant("w", [4, 2], 1)]);
        var model = m.Build(m.Node("Relu", "second", [dense]), [1, 2]);
        var first = model.Graph.Node[0];
        model.Graph.Node.RemoveAt(0);
        model.Graph.Node.Add(first);
        return model;
    }
}
