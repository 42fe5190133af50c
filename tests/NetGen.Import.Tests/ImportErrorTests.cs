using Onnx;
using Xunit;
using static NetGen.Import.Tests.OnnxModelBuilder;

namespace NetGen.Import.Tests;

/// <summary>Each thing the importer cannot translate is one error naming the node, its operator and the attribute (or input) at fault.</summary>
public sealed class ImportErrorTests
{
    private static OnnxImportException ImportFails(ModelProto model) =>
        Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model, "bad.onnx", "Bad", "Imported"));

    /// <summary>image [N, 3, 8, 8] → one node → its output.</summary>
    private static ModelProto OneNode(string op, string[] extraInputs, params AttributeProto[] attributes)
    {
        var m = new OnnxModelBuilder("image", [1, 3, 8, 8]);
        string[] inputs = ["image", .. extraInputs];
        return m.Build(m.Node(op, "n1", inputs, attributes), [1, 3, 8, 8]);
    }

    private static ModelProto OneConv(params AttributeProto[] attributes)
    {
        var m = new OnnxModelBuilder("image", [1, 3, 8, 8]);
        return m.Build(m.Node("Conv", "conv", ["image", m.Constant("w", [4, 3, 3, 3], 1)], attributes), [1, 4, 6, 6]);
    }

    [Fact]
    public void AnUnsupportedOperatorIsNamedWithItsNode()
    {
        var error = ImportFails(OneNode("Resize", []));

        Assert.Equal("Node 'n1' (Resize): is not supported by the NetGen importer (it translates Conv, MaxPool, AveragePool, GlobalAveragePool, Gemm, MatMul, BatchNormalization, Add, Concat, Flatten, Dropout, Relu, Softmax, Sigmoid).", error.Message);
        Assert.Equal(("n1", "Resize", null), (error.Node, error.OperatorType, error.Attribute));
    }

    [Fact]
    public void AnAttributeTheImporterDoesNotKnowIsAnError()
    {
        var error = ImportFails(OneConv(String("layout", "NHWC")));

        Assert.Equal("Node 'conv' (Conv), attribute 'layout': is not supported by the NetGen importer for Conv.", error.Message);
        Assert.Equal(("conv", "Conv", "layout"), (error.Node, error.OperatorType, error.Attribute));
    }

    [Fact]
    public void AGroupedConvolutionIsAnError() =>
        Assert.Equal("Node 'conv' (Conv), attribute 'group': is 3; NetGen convolutions are not grouped (group must be 1).", ImportFails(OneConv(Int("group", 3))).Message);

    [Fact]
    public void ADilatedConvolutionIsAnError() =>
        Assert.Equal("Node 'conv' (Conv), attribute 'dilations': is [2, 2]; NetGen has no dilated windows (every dilation must be 1).", ImportFails(OneConv(Ints("dilations", 2, 2))).Message);

    [Fact]
    public void UnequalStridesAreAnError() =>
        Assert.Equal("Node 'conv' (Conv), attribute 'strides': is [1, 2]; NetGen's windows are square (both values equal and positive).", ImportFails(OneConv(Ints("strides", 1, 2))).Message);

    [Fact]
    public void AutoPaddingIsAnError() =>
        Assert.Equal("Node 'conv' (Conv), attribute 'auto_pad': is SAME_UPPER; NetGen needs the pads spelled out (auto_pad NOTSET with pads, or VALID).", ImportFails(OneConv(String("auto_pad", "SAME_UPPER"))).Message);

    [Fact]
    public void ANonSquareKernelIsAnError()
    {
        var m = new OnnxModelBuilder("image", [1, 3, 8, 8]);
        var model = m.Build(m.Node("Conv", "conv", ["image", m.Constant("w", [4, 3, 3, 1], 1)]), [1, 4, 6, 8]);

        Assert.Equal("Node 'conv' (Conv), attribute 'kernel_shape': is [3, 1]; NetGen's windows are square.", ImportFails(model).Message);
    }

    [Fact]
    public void AComputedWeightIsAnError()
    {
        var model = OneNode("Conv", ["image"]);

        Assert.Equal("Node 'n1' (Conv), attribute 'W': reads 'image', which is computed; NetGen layers take their W from a constant (initializer).", ImportFails(model).Message);
    }

    [Fact]
    public void CeilModePoolingIsAnError() =>
        Assert.Equal("Node 'n1' (MaxPool), attribute 'ceil_mode': is 1; NetGen pools round the output size down (ceil_mode 0); add a pad on the bottom and right instead.", ImportFails(OneNode("MaxPool", [], Ints("kernel_shape", 2, 2), Int("ceil_mode", 1))).Message);

    [Fact]
    public void BatchNormalizationPerPixelIsAnError()
    {
        var m = new OnnxModelBuilder("image", [1, 3, 8, 8]);
        var model = m.Build(m.Node("BatchNormalization", "norm", ["image", m.Constant("s", [3], 1), m.Constant("b", [3], 2), m.Constant("m", [3], 3), m.Constant("v", [3], 4, 0.1f, 1f)], Int("spatial", 0)), [1, 3, 8, 8]);

        Assert.Equal("Node 'norm' (BatchNormalization), attribute 'spatial': is 0 (statistics per pixel); NetGen's BatchNorm keeps one mean and variance per channel (spatial 1).", ImportFails(model).Message);
    }

    [Fact]
    public void AScaledGemmIsAnError()
    {
        var m = new OnnxModelBuilder("x", [1, 4]);
        var model = m.Build(m.Node("Gemm", "fc", ["x", m.Constant("w", [4, 2], 1)], Float("alpha", 2f)), [1, 2]);

        Assert.Equal("Node 'fc' (Gemm), attribute 'alpha': is 2; NetGen's Dense computes x·Wᵀ + b unscaled (alpha must be 1).", ImportFails(model).Message);
    }

    [Fact]
    public void ATransposedGemmInputIsAnError()
    {
        var m = new OnnxModelBuilder("x", [1, 4]);
        var model = m.Build(m.Node("Gemm", "fc", ["x", m.Constant("w", [4, 2], 1)], Int("transA", 1)), [1, 2]);

        Assert.Equal("Node 'fc' (Gemm), attribute 'transA': is 1; NetGen's Dense reads its input as [batch, features] (transA must be 0).", ImportFails(model).Message);
    }

    [Fact]
    public void ConcatAlongAnotherAxisIsAnError() =>
        Assert.Equal("Node 'n1' (Concat), attribute 'axis': is 2; NetGen's Concat joins channels or features (axis 1).", ImportFails(OneNode("Concat", ["image"], Int("axis", 2))).Message);

    [Fact]
    public void FlattenAtAnotherAxisIsAnError() =>
        Assert.Equal("Node 'n1' (Flatten), attribute 'axis': is 2; NetGen's Flatten keeps the batch axis and flattens the rest (axis 1).", ImportFails(OneNode("Flatten", [], Int("axis", 2))).Message);

    [Fact]
    public void ReluAfterALayerWithoutActivationsIsAnError()
    {
        var m = new OnnxModelBuilder("image", [1, 3, 8, 8]);
        var pooled = m.Node("MaxPool", "pool", ["image"], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2));
        var model = m.Build(m.Node("Relu", "relu", [pooled]), [1, 3, 4, 4]);

        Assert.Equal("Node 'relu' (Relu): follows MaxPool2D 'pool (MaxPool)', which takes no ReLU activation in NetGen (Conv2D, BatchNorm, Add and Dense do).", ImportFails(model).Message);
    }

    [Fact]
    public void ReluOfATensorOthersAlsoReadIsAnError()
    {
        var m = new OnnxModelBuilder("image", [1, 3, 8, 8]);
        var conv = m.Node("Conv", "conv", ["image", m.Constant("w", [3, 3, 1, 1], 1)]);
        var relu = m.Node("Relu", "relu", [conv]);
        var model = m.Build(m.Node("Add", "sum", [relu, conv]), [1, 3, 8, 8]);

        Assert.Equal("Node 'relu' (Relu): reads 'conv_out', which 1 other node(s) or the graph output also read; NetGen cannot keep a layer's value both before and after its activation.", ImportFails(model).Message);
    }

    [Fact]
    public void SoftmaxAfterAConvolutionIsAnError()
    {
        var m = new OnnxModelBuilder("image", [1, 3, 8, 8]);
        var conv = m.Node("Conv", "conv", ["image", m.Constant("w", [3, 3, 1, 1], 1)]);
        var model = m.Build(m.Node("Softmax", "softmax", [conv], Int("axis", 1)), [1, 3, 8, 8]);

        Assert.Equal("Node 'softmax' (Softmax): follows Conv2D 'conv (Conv)', which takes no Softmax activation in NetGen (only Dense does).", ImportFails(model).Message);
    }

    [Fact]
    public void AnAddOfAConstantThatIsNoBiasIsAnError()
    {
        var m = new OnnxModelBuilder("image", [1, 3, 8, 8]);
        var model = m.Build(m.Node("Add", "shift", ["image", m.Constant("offset", [1, 3, 1, 1], 1)]), [1, 3, 8, 8]);

        Assert.Equal("Node 'shift' (Add), attribute 'B': reads the constant 'offset'; NetGen's Add sums two computed tensors, and a constant is only taken as the bias of the MatMul or Gemm without bias just before it.", ImportFails(model).Message);
    }

    [Fact]
    public void ADropoutMaskSomeoneReadsIsAnError()
    {
        var m = new OnnxModelBuilder("x", [1, 4]);
        var outputs = m.NodeWithOutputs("Dropout", "drop", ["x"], ["y", "mask"]);
        var model = m.Build(m.Node("Add", "sum", [outputs[0], outputs[1]]), [1, 4]);

        Assert.Equal("Node 'drop' (Dropout), attribute 'outputs': 'mask' is read by another node, but it is the mask, which NetGen's Dropout keeps to itself; NetGen layers have one output.", ImportFails(model).Message);
    }

    [Fact]
    public void TwoGraphOutputsAreAnError()
    {
        var m = new OnnxModelBuilder("x", [1, 4]);
        var first = m.Node("MatMul", "first", ["x", m.Constant("w1", [4, 2], 1)]);
        var second = m.Node("MatMul", "second", ["x", m.Constant("w2", [4, 2], 2)]);
        var model = m.Build(first, [1, 2]);
        model.Graph.Output.Add(new ValueInfoProto { Name = second });

        Assert.Equal("The graph has 2 outputs (first_out, second_out); a NetGen network has one.", ImportFails(model).Message);
    }

    [Fact]
    public void ANonFloatWeightIsAnError()
    {
        var m = new OnnxModelBuilder("x", [1, 4]);
        var model = m.Build(m.Node("MatMul", "fc", ["x", m.Constant("w", [4, 2], 1)]), [1, 2]);
        model.Graph.Initializer[0].DataType = (int)TensorProto.Types.DataType.Float16;

        Assert.Equal("Node 'fc' (MatMul): initializer 'w' holds Float16 values; the NetGen importer reads float32 weights only.", ImportFails(model).Message);
    }
}
