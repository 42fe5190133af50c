using Xunit;
using static NetGen.Generator.Tests.Infrastructure.DiagnosticAssert;

namespace NetGen.Generator.Tests;

/// <summary>The diagnostics of networks with several named inputs and outputs: ID, message and the exact span each points at.</summary>
public sealed class NamedTensorDiagnosticTests
{
    [Fact]
    public void NG0028_InputNobodyReads() => AssertDiagnostic(
        """
        [Network]
        public partial class Net
        {
            [Input(4)] public partial InputTensor Image { get; }
            [[|Input(2)|]] public partial InputTensor Metadata { get; }
            [Dense(2, Input = nameof(Image))] public partial Dense Output { get; }
        }
        """,
        "NG0028",
        "Input 'Metadata' of network 'Net' is read by no layer; read it with Input = nameof(Metadata) (or in an Add or Concat), or remove it");

    [Fact]
    public void NG0026_InputOnTheClassAndAsAProperty() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [[|Input(2)|]] public partial InputTensor Metadata { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0026",
        "Input 'Metadata' of network 'Net' is declared as a property, but the class also has [Input]; declare one input on the class, or every input as a property");

    [Fact]
    public void NG0026_InputPropertyOfAnotherType() => AssertDiagnostic(
        """
        [Network]
        public partial class Net
        {
            [[|Input(4)|]] public partial Dense Image { get; }
            [Dense(2, Input = nameof(Image))] public partial Dense Output { get; }
        }
        """,
        "NG0026",
        "Input 'Image' of network 'Net' has type 'Dense'; an [Input] property has type InputTensor");

    [Fact]
    public void NG0026_InputPropertyThatIsNotPartial() => AssertDiagnostic(
        """
        [Network]
        public partial class Net
        {
            [[|Input(4)|]] public InputTensor Image { get; } = null!;
            [Dense(2, Input = nameof(Image))] public partial Dense Output { get; }
        }
        """,
        "NG0026",
        "Input 'Image' of network 'Net' must be a partial get-only instance property: public partial InputTensor Image { get; }");

    [Fact]
    public void NG0027_WeightThatIsNotPositive() => AssertDiagnostic(
        """
        [Network]
        public partial class Net
        {
            [Input(4)] public partial InputTensor Image { get; }
            [Dense(3, Input = nameof(Image)), Output(Loss.SoftmaxCrossEntropy, [|Weight = 0|])] public partial Dense Digit { get; }
            [Dense(1, Input = nameof(Image)), Output(Loss.MeanSquaredError)] public partial Dense Score { get; }
        }
        """,
        "NG0027",
        "Output 'Digit' of network 'Net': Weight must be finite and positive, got 0; leave an output out of training by removing its [Output]");

    [Fact]
    public void NG0027_NetworkLossBesideOutputs() => AssertDiagnostic(
        """
        [Network([|Loss = Loss.MeanSquaredError|])]
        public partial class Net
        {
            [Input(4)] public partial InputTensor Image { get; }
            [Dense(3, Input = nameof(Image)), Output(Loss.SoftmaxCrossEntropy)] public partial Dense Digit { get; }
        }
        """,
        "NG0027",
        "Output 'Digit' of network 'Net': each output names its loss in [Output], so the network sets no Loss; remove Loss from [Network]");

    [Fact]
    public void NG0027_LabelSmoothingBesideOutputs() => AssertDiagnostic(
        """
        [Network([|LabelSmoothing = 0.1|]), Input(4)]
        public partial class Net
        {
            [Dense(3), Output(Loss.SoftmaxCrossEntropy)] public partial Dense Digit { get; }
            [Dense(1, Input = LayerAttribute.NetworkInput), Output(Loss.MeanSquaredError)] public partial Dense Score { get; }
        }
        """,
        "NG0027",
        "Output 'Digit' of network 'Net': label smoothing applies to a network with one loss, declared on [Network]; remove LabelSmoothing from [Network]");

    [Fact]
    public void ClassInputWithSeveralOutputsGetsTypedMembersTakingInputsAndKeepsInputGradients() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class [|Net|]
        {
            [Dense(3), Output(Loss.SoftmaxCrossEntropy)] public partial Dense Digit { get; }
            [Dense(1, Input = LayerAttribute.NetworkInput), Output(Loss.MeanSquaredError)] public partial Dense Score { get; }

            public Losses Step(float[] inputs, int[] digits, float[] scores) => TrainStep(inputs, digits, scores);
            public int InputGradientCount => InputGradients.Length;
        }
        """,
        "NG0302",
        "Network 'Net' declares 2 [Output] layers, which the GPU backend does not run yet, so it gets no GPU path (no ToDevice); it trains on the CPU");

    [Fact]
    public void NG0027_OutputOnAPropertyThatIsNoLayer() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(2)] public partial Dense Output { get; }
            [[|Output(Loss.MeanSquaredError)|]] public int Count { get; }
        }
        """,
        "NG0027",
        "Output 'Count' of network 'Net': [Output] marks a layer, and this property carries no layer attribute");

    [Fact]
    public void NG0027_LossThatDoesNotFitItsOutput() => AssertDiagnostic(
        """
        [Network]
        public partial class Net
        {
            [Input(4)] public partial InputTensor Image { get; }
            [Dense(3, Input = nameof(Image)), [|Output(Loss.BinaryCrossEntropy)|]] public partial Dense Digit { get; }
        }
        """,
        "NG0027",
        "Output 'Digit' of network 'Net': Loss.BinaryCrossEntropy does not fit its output [*, 3]: binary cross-entropy needs exactly one output unit, but the output has 3; for several classes use Loss.SoftmaxCrossEntropy");

    [Fact]
    public void NG0027_OutputWhoseLinkOtherLayersNeed() => AssertDiagnostic(
        """
        [Network]
        public partial class Net
        {
            [Input(4)] public partial InputTensor Image { get; }
            [Dense(3, Activation.Softmax, Input = nameof(Image)), [|Output(Loss.SoftmaxCrossEntropy)|]] public partial Dense Digit { get; }
            [Dense(1), Output(Loss.MeanSquaredError)] public partial Dense Score { get; }
        }
        """,
        "NG0027",
        "Output 'Digit' of network 'Net': Loss.SoftmaxCrossEntropy does not fit its output [*, 3]: softmax cross-entropy would apply its Softmax itself, but 'Score' reads 'Digit' and needs it applied; end 'Digit' in no activation (logits)");

    [Fact]
    public void NG0027_OutputNamedTotal() => AssertDiagnostic(
        """
        [Network]
        public partial class Net
        {
            [Input(4)] public partial InputTensor Image { get; }
            [Dense(3, Input = nameof(Image)), [|Output(Loss.SoftmaxCrossEntropy)|]] public partial Dense Total { get; }
        }
        """,
        "NG0027",
        "Output 'Total' of network 'Net': an output cannot be called Total, the name the generated Losses give the weighted sum; rename the layer");

    [Fact]
    public void NG0012_FirstLayerOfANetworkWithNamedInputsMustNameOne() => AssertDiagnostic(
        """
        [Network]
        public partial class Net
        {
            [Input(4)] public partial InputTensor Image { get; }
            [Input(2)] public partial InputTensor Metadata { get; }
            [[|Dense(8)|]] public partial Dense Hidden { get; }
            [Concat(nameof(Hidden), nameof(Metadata))] public partial Concat Joined { get; }
            [Dense(2), Output(Loss.SoftmaxCrossEntropy)] public partial Dense Output { get; }
        }
        """,
        "NG0012",
        "Layer 'Hidden' reads 'input', which is neither a layer of network 'Net' nor its input; its inputs are named: read one with nameof(Image) or nameof(Metadata), or a layer with nameof(Layer)");

    [Fact]
    public void NG0014_LayerThatIsNoOutputOfANetworkWithOutputs() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(3), Output(Loss.SoftmaxCrossEntropy)] public partial Dense Digit { get; }
            [[|Dense(1, Input = LayerAttribute.NetworkInput)|]] public partial Dense Forgotten { get; }
        }
        """,
        "NG0014",
        "Layer 'Forgotten' of network 'Net' is unused: no layer reads it, and it is not an output (those are marked [Output]: 'Digit'); read it with Input = nameof(Forgotten) (or in an Add or Concat), or remove it");

    [Fact]
    public void NG0302_NamedInputsAndOutputsStayOnTheCpu() => AssertDiagnostic(
        """
        [Network]
        public partial class [|Net|]
        {
            [Input(4)] public partial InputTensor Image { get; }
            [Input(2)] public partial InputTensor Metadata { get; }
            [Concat(nameof(Image), nameof(Metadata))] public partial Concat Joined { get; }
            [Dense(3), Output(Loss.SoftmaxCrossEntropy)] public partial Dense Digit { get; }
            [Dense(1, Input = nameof(Joined)), Output(Loss.MeanSquaredError, Weight = 0.5)] public partial Dense Score { get; }
        }
        """,
        "NG0302",
        "Network 'Net' declares 2 input properties and 2 [Output] layers, which the GPU backend does not run yet, so it gets no GPU path (no ToDevice); it trains on the CPU");
}
