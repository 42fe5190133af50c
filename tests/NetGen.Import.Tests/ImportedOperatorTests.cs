using System.Linq;
using Onnx;
using Xunit;
using static NetGen.Import.Tests.OnnxModelBuilder;

namespace NetGen.Import.Tests;

/// <summary>
/// Hand-built ONNX models covering every operator the importer translates, imported, compiled by the
/// generator, run, and compared with ONNX Runtime on the same file.
/// </summary>
public sealed class ImportedOperatorTests
{
    private const int Batch = 3;

    /// <summary>
    /// Conv (bias, no bias, 1×1, stride 2 with asymmetric pads), BatchNormalization (own epsilon and
    /// momentum), Relu, a residual Add, Concat, MaxPool with asymmetric pads, AveragePool with and
    /// without count_include_pad, GlobalAveragePool, Flatten, Gemm, Dropout (ratio as an input, a seed),
    /// MatMul + Add (the bias), Softmax.
    /// </summary>
    public static ModelProto ConvolutionalGraph()
    {
        var m = new OnnxModelBuilder("image", [Batch, 3, 8, 8]);
        var convA = m.Node("Conv", "conv_a", ["image", m.Constant("conv_a.weight", [6, 3, 3, 3], 1), m.Constant("conv_a.bias", [6], 2)], Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1));
        var normA = m.Node("BatchNormalization", "norm_a", [convA, m.Constant("norm_a.weight", [6], 3, 0.2f, 1f), m.Constant("norm_a.bias", [6], 4), m.Constant("norm_a.running_mean", [6], 5), m.Constant("norm_a.running_var", [6], 6, 0.3f, 1f)], Float("epsilon", 1e-3f), Float("momentum", 0.8f));
        var a = m.Node("Relu", "relu_a", [normA]);
        var convB = m.Node("Conv", "conv_b", [a, m.Constant("conv_b.weight", [6, 6, 3, 3], 7, 0.15f)], Ints("pads", 1, 1, 1, 1), Ints("strides", 1, 1), Int("group", 1), Ints("dilations", 1, 1));
        var normB = m.Node("BatchNormalization", "norm_b", [convB, m.Constant("norm_b.weight", [6], 8, 0.2f, 1f), m.Constant("norm_b.bias", [6], 9), m.Constant("norm_b.running_mean", [6], 10), m.Constant("norm_b.running_var", [6], 11, 0.3f, 1f)]);
        var sum = m.Node("Add", "residual", [normB, a]);
        var c = m.Node("Relu", "residual_relu", [sum]);
        var d = m.Node("Conv", "squeeze", [c, m.Constant("squeeze.weight", [4, 6, 1, 1], 12), m.Constant("squeeze.bias", [4], 13)]);
        var joined = m.Node("Concat", "joined", [c, d], Int("axis", 1));
        var maxPool = m.Node("MaxPool", "max_pool", [joined], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 0, 0));
        var averageExcluding = m.Node("AveragePool", "average_excluding", [maxPool], Ints("kernel_shape", 2, 2), Ints("strides", 1, 1), Ints("pads", 0, 0, 1, 1), Int("count_include_pad", 0));
        var averageIncluding = m.Node("AveragePool", "average_including", [averageExcluding], Ints("kernel_shape", 3, 3), Ints("strides", 1, 1), Ints("pads", 1, 1, 1, 1), Int("count_include_pad", 1));
        var strided = m.Node("Conv", "strided", [averageIncluding, m.Constant("strided.weight", [8, 10, 3, 3], 14), m.Constant("strided.bias", [8], 15)], Ints("strides", 2, 2), Ints("pads", 1, 1, 0, 0));
        var pooled = m.Node("GlobalAveragePool", "global_pool", [strided]);
        var flat = m.Node("Flatten", "flatten", [pooled], Int("axis", 1));
        var hidden = m.Node("Gemm", "hidden", [flat, m.Constant("hidden.weight", [5, 8], 16), m.Constant("hidden.bias", [5], 17)], Int("transB", 1), Float("alpha", 1f), Float("beta", 1f));
        var hiddenRelu = m.Node("Relu", "hidden_relu", [hidden]);
        var dropped = m.NodeWithOutputs("Dropout", "dropout", [hiddenRelu, m.Constant("dropout.ratio", [], [0.3f])], ["dropout_out", "dropout_mask"], Int("seed", 3))[0];
        var product = m.Node("MatMul", "classifier", [dropped, m.Constant("classifier.weight", [5, 3], 18, 0.8f)]);
        var logits = m.Node("Add", "classifier_bias", [product, m.Constant("classifier.bias", [3], 19)]);
        var probabilities = m.Node("Softmax", "probabilities", [logits], Int("axis", 1));
        return m.Build(probabilities, [Batch, 3]);
    }

    /// <summary>Gemm with B as [in, units] (transB 0) and a bias, Relu, then Gemm without bias (opset 11 made C optional) ending in logits.</summary>
    public static ModelProto DenseGraph()
    {
        var m = new OnnxModelBuilder("features", [Batch, 6], opset: 11);
        var hidden = m.Node("Gemm", "", ["features", m.Constant("w1", [6, 4], 1), m.Constant("b1", [1, 4], 2)]);
        var relu = m.Node("Relu", "", [hidden]);
        var logits = m.Node("Gemm", "", [relu, m.Constant("w2", [3, 4], 3)], Int("transB", 1));
        return m.Build(logits, [Batch, 3]);
    }

    [Fact]
    public void EveryOperatorOfAConvolutionalGraphMatchesOnnxRuntime()
    {
        var model = ConvolutionalGraph();
        using var imported = new ImportedNetwork(model, "ConvGraph");
        var inputs = ImportedNetwork.Inputs(imported.Network, Batch);

        var expected = OnnxRuntimeReference.Run(model, inputs, Batch, [3, 8, 8]);

        OnnxRuntimeReference.AssertClose(expected, imported.Forward(inputs));
    }

    [Fact]
    public void GemmInBothLayoutsWithAndWithoutBiasMatchesOnnxRuntime()
    {
        var model = DenseGraph();
        using var imported = new ImportedNetwork(model, "DenseGraph");
        var inputs = ImportedNetwork.Inputs(imported.Network, Batch);

        var expected = OnnxRuntimeReference.Run(model, inputs, Batch, [6]);

        OnnxRuntimeReference.AssertClose(expected, imported.Forward(inputs));
    }

    [Fact]
    public void TheDeclarationNamesLayersAfterTheWeightsAndWiresTheGraphByName()
    {
        var source = OnnxImporter.Import(ConvolutionalGraph(), "ConvGraph.onnx", "ConvGraph", "Imported").Source;

        Assert.Contains("    // conv_a (Conv): weight = conv_a.weight [6, 3, 3, 3], bias = conv_a.bias [6]\n    [Conv2D(6, 3, PaddingSize = 1)] public partial Conv2D ConvA { get; }", source);
        Assert.Contains("[BatchNorm(Activation.ReLU, Epsilon = 0.001, Momentum = 0.2)] public partial BatchNorm NormA { get; }", source);
        Assert.Contains("[Add(nameof(NormB), nameof(NormA), Activation.ReLU)] public partial Add Residual { get; }", source);
        Assert.Contains("[Concat(nameof(Residual), nameof(Squeeze))] public partial Concat Joined { get; }", source);
        Assert.Contains("[MaxPool2D(3, Stride = 2, Pads = [1, 1, 0, 0])] public partial MaxPool2D MaxPool { get; }", source);
        Assert.Contains("[AvgPool2D(2, Stride = 1, Pads = [0, 0, 1, 1], CountIncludePad = false)] public partial AvgPool2D AverageExcluding { get; }", source);
        Assert.Contains("[AvgPool2D(3, Stride = 1, PaddingSize = 1)] public partial AvgPool2D AverageIncluding { get; }", source);
        Assert.Contains("[Dropout(0.3)] public partial Dropout Dropout { get; }", source);
        Assert.Contains("    // classifier (MatMul) + classifier_bias (Add) + probabilities (Softmax): weight = classifier.weight [3, 5], bias = classifier.bias [3]\n    [Dense(3, Activation.Softmax)] public partial Dense Classifier { get; }", source);
        Assert.Contains("[Network(Loss = Loss.SoftmaxCrossEntropy)]", source);
    }

    [Fact]
    public void ALineBreakInAnOnnxNameStaysInsideItsComment()
    {
        var m = new OnnxModelBuilder("x", [1, 4]);
        var model = m.Build(m.Node("MatMul", "fc\npublic int Injected;", ["x", m.Constant("w", [4, 2], 1)]), [1, 2]);
        var source = OnnxImporter.Import(model, "Names.onnx", "Names", "Imported").Source;

        var run = NetGen.Generator.Tests.Infrastructure.GeneratorHarness.Run(source);

        Assert.Contains("    // fc public int Injected; (MatMul): weight = w [2, 4]", source);
        Assert.Empty(run.CompilationProblems);
        Assert.Empty(run.GeneratorDiagnostics);
    }

    [Fact]
    public void WeightsAreWrittenUnderTheStateNamesOfTheGeneratedLayersInPyTorchLayout()
    {
        var result = OnnxImporter.Import(ConvolutionalGraph(), "ConvGraph.onnx", "ConvGraph", "Imported");

        var classifier = result.Weights.Single(w => w.Name == "classifier.weight");
        Assert.Equal([3, 5], classifier.Shape);
        Assert.Equal(["conv_a.weight", "conv_a.bias", "norm_a.weight", "norm_a.bias", "norm_a.running_mean", "norm_a.running_var"], result.Weights.Take(6).Select(w => w.Name));
    }
}
