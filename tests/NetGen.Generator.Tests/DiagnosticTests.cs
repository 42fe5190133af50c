using System.Linq;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;
using static NetGen.Generator.Tests.Infrastructure.DiagnosticAssert;

namespace NetGen.Generator.Tests;

/// <summary>One test per diagnostic: its ID, its message and the exact span it points at.</summary>
public sealed class DiagnosticTests
{
    [Fact]
    public void NG0001_NetworkNotPartial() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public class [|Net|]
        {
            [Dense(2)] public Dense Output { get; } = null!;
        }
        """,
        "NG0001",
        "Network 'Net' must be declared 'partial' so NetGen can add its generated members");

    [Fact]
    public void NG0002_MissingInput() => AssertDiagnostic(
        """
        [Network]
        public partial class [|Net|]
        {
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0002",
        "Network 'Net' has no [Input] attribute; declare the per-sample input shape, e.g. [Input(784)] or [Input(1, 28, 28)]");

    [Fact]
    public void NG0003_InvalidInputShape() => AssertDiagnostic(
        """
        [Network, Input(28, [|-28|])]
        public partial class Net
        {
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0003",
        "Input dimension 1 of network 'Net' is -28; every dimension must be a positive integer");

    [Fact]
    public void NG0004_NoLayers() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class [|Net|]
        {
        }
        """,
        "NG0004",
        "Network 'Net' declares no layers; add partial properties with layer attributes such as [Dense(10)]");

    [Fact]
    public void NG0005_LayerNotPartial() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(2)] public Dense [|Output|] { get; } = null!;
        }
        """,
        "NG0005",
        "Layer 'Output' must be a 'partial' property with only a getter, e.g. 'public partial Dense Output { get; }'");

    [Fact]
    public void NG0005_LayerWithASetter() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(2)] public partial Dense [|Output|] { get; set; }
        }
        """,
        "NG0005",
        "Layer 'Output' must be a 'partial' property with only a getter, e.g. 'public partial Dense Output { get; }'");

    [Fact]
    public void NG0006_LayerTypeMismatch() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(2)] public partial [|Layer|] Output { get; }
        }
        """,
        "NG0006",
        "Layer 'Output' is declared with [Dense] but its property type is 'Layer'; declare it as 'Dense'");

    [Fact]
    public void NG0007_InvalidLayerArgument() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense([|0|])] public partial Dense Output { get; }
        }
        """,
        "NG0007",
        "Layer 'Output': Dense units must be positive, got 0");

    [Fact]
    public void NG0003_NullInputShape() => AssertDiagnostic(
        """
        [Network, Input([|null|])]
        public partial class Net
        {
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0003",
        "Input dimension 0 of network 'Net' is missing; every dimension must be a positive integer");

    [Fact]
    public void NG0008_NetworkNestedInAGenericType() => AssertDiagnostic(
        """
        public partial class Outer<T>
        {
            [Network, Input(4)]
            public partial class [|Net|]
            {
                [Dense(2)] public partial Dense Output { get; }
            }
        }
        """,
        "NG0008",
        "Network 'Net' cannot be generated: its containing type 'Outer' is generic, and shapes must be known at build time");

    [Fact]
    public void NG0008_GenericNetwork() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class [|Net|]<T>
        {
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0008",
        "Network 'Net' cannot be generated: a network class cannot be generic, because its shapes must be known at build time");

    [Fact]
    public void NG0010_LayerNamedLikeAGeneratedMember() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(2)] public partial Dense [|Parameters|] { get; }
        }
        """,
        "NG0010",
        "'Parameters' in network 'Net' clashes with the generated member 'Parameters'; rename it");

    [Fact]
    public void NG0010_LayersDifferingOnlyInTheCaseOfTheirFirstLetter() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(4)] public partial Dense HiddenLayer { get; }
            [Dense(2)] public partial Dense [|hiddenLayer|] { get; }
        }
        """,
        "NG0010",
        "'hiddenLayer' in network 'Net' clashes with layer 'HiddenLayer', for which NetGen generates the member '_hiddenLayerLayer'; rename it");

    [Fact]
    public void NG0010_UserMemberNamedLikeAGeneratedMember() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(2)] public partial Dense Output { get; }

            public void [|Forward_Output|]() { }
        }
        """,
        "NG0010",
        "'Forward_Output' in network 'Net' clashes with layer 'Output', for which NetGen generates the member 'Forward_Output'; rename it");

    [Fact]
    public void NG0010_InheritedMemberNamedLikeAGeneratedMember() => AssertDiagnostic(
        """
        public class Base
        {
            public int Parameters => 0;
        }

        [Network, Input(4)]
        public partial class Net : [|Base|]
        {
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0010",
        "'Base.Parameters' in network 'Net' clashes with the generated member 'Parameters'; rename it");

    [Fact]
    public void NG0010_NetworkClassNamedLikeAGeneratedMember() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class [|Loss|]
        {
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0010",
        "'Loss' in network 'Loss' clashes with the generated member 'Loss', and C# forbids a member named like its class; rename it");

    [Fact]
    public void NG0011_StateNameClash() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(4)] public partial Dense HiddenLayer { get; }
            [Dense(2)] public partial Dense [|Hidden_Layer|] { get; }
        }
        """,
        "NG0011",
        "Layers 'HiddenLayer' and 'Hidden_Layer' of network 'Net' both get the state_dict name 'hidden_layer', so a checkpoint could not tell their tensors apart; rename one of them");

    [Fact]
    public void NG0015_InvalidDropoutRate() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dropout([|1.5|])] public partial Dropout Drop { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0015",
        "Layer 'Drop': the dropout rate must lie in [0, 1), got 1.5");

    [Fact]
    public void NG0016_InvalidBatchNormMomentum() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [BatchNorm([|Momentum = -0.1|])] public partial BatchNorm Norm { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0016",
        "Layer 'Norm': BatchNorm Momentum must lie in [0, 1], got -0.1");

    [Fact]
    public void NG0016_InvalidBatchNormEpsilon() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [BatchNorm([|Epsilon = 0|])] public partial BatchNorm Norm { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0016",
        "Layer 'Norm': BatchNorm Epsilon must be a finite number > 0, got 0");

    [Fact]
    public void NG0016_BatchNormWithSoftmax() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [BatchNorm([|Activation.Softmax|])] public partial BatchNorm Norm { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0016",
        "Layer 'Norm': BatchNorm activation must be elementwise (None, ReLU, LeakyReLU, Sigmoid, Tanh, GELU or ReLU6), got Softmax");

    [Fact]
    public void NG0018_LabelSmoothingOutOfRange() => AssertDiagnostic(
        """
        [Network(Seed = 1, [|LabelSmoothing = 1.5|])]
        [Input(4)]
        public partial class Net
        {
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0018",
        "Network 'Net': LabelSmoothing must lie in [0, 1], got 1.5");

    [Fact]
    public void NG0018_LabelSmoothingWithAnotherLoss() => AssertDiagnostic(
        """
        [Network(Loss = Loss.BinaryCrossEntropy, [|LabelSmoothing = 0.1|])]
        [Input(4)]
        public partial class Net
        {
            [Dense(1)] public partial Dense Output { get; }
        }
        """,
        "NG0018",
        "Network 'Net': LabelSmoothing applies only to Loss.SoftmaxCrossEntropy, not Loss.BinaryCrossEntropy; remove it or train with softmax cross-entropy");

    [Fact]
    public void NG0017_FrozenWithoutParameters() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [[|Frozen|], Dropout(0.5)] public partial Dropout Drop { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0017",
        "Layer 'Drop' is marked [Frozen] but a Dropout layer has no parameters to freeze; remove [Frozen]");

    [Fact]
    public void NG0101_BatchNormOnAMatrix() => AssertDiagnostic(
        """
        [Network, Input(3, 4)]
        public partial class Net
        {
            [[|BatchNorm|]] public partial BatchNorm Norm { get; }
            [Flatten] public partial Flatten Flat { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0101",
        "Layer 'Norm' (BatchNorm) expects a vector [features] or an image [channels, height, width] per sample but 'input' produces [3, 4]");

    [Fact]
    public void NG0008_UnsupportedContainingType() => AssertDiagnostic(
        """
        public class Outer
        {
            [Network, Input(4)]
            public partial class [|Net|]
            {
                [Dense(2)] public partial Dense Output { get; }
            }
        }
        """,
        "NG0008",
        "Network 'Net' cannot be generated: its containing type 'Outer' is not partial; declare it 'partial'",
        expectCleanCompilation: false);

    [Fact]
    public void NG0009_UnknownLayerKind() => AssertDiagnostic(
        """
        public sealed class MysteryAttribute : LayerAttribute { }

        [Network, Input(4)]
        public partial class Net
        {
            [[|Mystery|]] public partial Dense Output { get; }
        }
        """,
        "NG0009",
        "Layer 'Output' uses [Mystery], which this version of NetGen cannot generate");

    [Fact]
    public void NG0101_InputRankMismatchSuggestsFlatten() => AssertDiagnostic(
        """
        [Network, Input(1, 28, 28)]
        public partial class Net
        {
            [[|Dense(10)|]] public partial Dense Output { get; }
        }
        """,
        "NG0101",
        "Layer 'Output' (Dense) expects a vector [features] per sample but 'input' produces [1, 28, 28]; add a Flatten layer before 'Output' to make it [784]");

    [Fact]
    public void NG0102_SoftmaxCrossEntropyOnOneUnit() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(4)]
        public partial class Net
        {
            [[|Dense(1)|]] public partial Dense Output { get; }
        }
        """,
        "NG0102",
        "Loss SoftmaxCrossEntropy does not fit the last layer 'Output' with output [*, 1]: softmax cross-entropy needs at least 2 classes; for one output unit use Loss.BinaryCrossEntropy");

    [Fact]
    public void NG0102_BinaryCrossEntropyOnSeveralUnits() => AssertDiagnostic(
        """
        [Network(Loss = Loss.BinaryCrossEntropy), Input(4)]
        public partial class Net
        {
            [Dense(8, Activation.ReLU)] public partial Dense Hidden { get; }
            [[|Dense(3)|]] public partial Dense Output { get; }
        }
        """,
        "NG0102",
        "Loss BinaryCrossEntropy does not fit the last layer 'Output' with output [*, 3]: binary cross-entropy needs exactly one output unit, but the output has 3; for several classes use Loss.SoftmaxCrossEntropy");

    [Fact]
    public void NG0102_SoftmaxCrossEntropyAfterReLU() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [[|Dense(3, Activation.ReLU)|]] public partial Dense Output { get; }
        }
        """,
        "NG0102",
        "Loss SoftmaxCrossEntropy does not fit the last layer 'Output' with output [*, 3]: softmax cross-entropy applies softmax itself, so the last layer must end in no activation (logits) or Softmax, not ReLU");

    [Fact]
    public void NG0104_NetworkTooLarge() => AssertDiagnostic(
        """
        [Network, Input(784)]
        public partial class Net
        {
            [[|Dense(int.MaxValue)|]] public partial Dense Hidden { get; }
            [Dense(10)] public partial Dense Output { get; }
        }
        """,
        "NG0104",
        "Layer 'Hidden' makes network 'Net' too large: its parameters or per-sample activations exceed 2,147,483,647 floats, the most one buffer can hold");

    [Fact]
    public void NG0901_InternalFailureBecomesDiagnostic()
    {
        var spec = new Model.NetworkSpec(
            new Model.NetworkDeclaration("N", "Broken", string.Empty, Model.EquatableArray<string>.Empty, "N.Broken", null, Model.EquatableArray<Model.LayerPropertyDeclaration>.Empty),
            Model.Shape.Of(4),
            Model.LossKind.SoftmaxCrossEntropy,
            0,
            0,
            Model.EquatableArray<Model.LayerSpec>.Empty);

        var result = NetGenGenerator.PlanSafely(spec);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("NG0901", diagnostic.Descriptor.Id);
        var message = diagnostic.ToDiagnostic().GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith("NetGen failed while generating 'Broken': ", message);
        Assert.EndsWith(". This is a bug in NetGen; please report it with this declaration.", message);
        Assert.DoesNotContain("..", message);
        Assert.Null(result.Plan);
    }
}
