using NetGen.Generator.Tests.Infrastructure;
using Xunit;
using static NetGen.Generator.Tests.Infrastructure.DiagnosticAssert;

namespace NetGen.Generator.Tests;

/// <summary>The diagnostics of functional declarations (names, cycles, unused layers, joins): ID, message and the exact span each points at.</summary>
public sealed class GraphDiagnosticTests
{
    [Fact]
    public void NG0012_InputNamesNoLayer() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(8)] public partial Dense Hidden { get; }
            [Dense(2, [|Input = "Hiden"|])] public partial Dense Output { get; }
        }
        """,
        "NG0012",
        "Layer 'Output' reads 'Hiden', which is neither a layer of network 'Net' nor its input; name a layer with nameof(Layer), or the network input with LayerAttribute.NetworkInput");

    [Fact]
    public void NG0012_NameDiffersOnlyInCaseGetsAHint() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(8)] public partial Dense Hidden { get; }
            [Dense(8, Input = LayerAttribute.NetworkInput)] public partial Dense Other { get; }
            [Add([|"hidden"|], nameof(Other))] public partial Add Output { get; }
        }
        """,
        "NG0012",
        "Layer 'Output' reads 'hidden', which is neither a layer of network 'Net' nor its input; did you mean 'Hidden'? Names are case-sensitive; write nameof(Hidden)");

    [Fact]
    public void NG0012_ConcatPointsAtTheUnknownElement() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(8)] public partial Dense Hidden { get; }
            [Concat(nameof(Hidden), [|"Nowhere"|])] public partial Concat Output { get; }
        }
        """,
        "NG0012",
        "Layer 'Output' reads 'Nowhere', which is neither a layer of network 'Net' nor its input; name a layer with nameof(Layer), or the network input with LayerAttribute.NetworkInput");

    [Fact]
    public void NG0013_LayerReadsItself() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(8, [|Input = nameof(Hidden)|])] public partial Dense Hidden { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0013",
        "The layers of network 'Net' read each other in a cycle, 'Hidden' → 'Hidden', so none of them can run first; a layer may only read layers that do not depend on it");

    [Fact]
    public void NG0013_CycleThroughAnAddPointsAtTheInputThatClosesIt() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(4)] public partial Dense First { get; }
            [Add(nameof(First), [|nameof(Later)|])] public partial Add Joined { get; }
            [Dense(4)] public partial Dense Later { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0013",
        "The layers of network 'Net' read each other in a cycle, 'Joined' → 'Later' → 'Joined', so none of them can run first; a layer may only read layers that do not depend on it");

    [Fact]
    public void NG0014_BranchNobodyReads() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(8)] public partial Dense Hidden { get; }
            [[|Dense(8)|]] public partial Dense Branch { get; }
            [Dense(2, Input = nameof(Hidden))] public partial Dense Output { get; }
        }
        """,
        "NG0014",
        "Layer 'Branch' of network 'Net' is unused: no layer reads it, and only the last declared layer, 'Output', is the output; read it with Input = nameof(Branch) (or in an Add or Concat), or remove it");

    [Fact]
    public void NG0105_AddOfDifferentShapesNamesBothBranches() => AssertDiagnostic(
        """
        [Network, Input(1, 28, 28)]
        public partial class Net
        {
            [Conv2D(16, 3, Padding = Padding.Same)] public partial Conv2D Conv1 { get; }
            [Conv2D(32, 3, Stride = 2, Padding = Padding.Same)] public partial Conv2D Conv2 { get; }
            [Add(nameof(Conv1), [|nameof(Conv2)|])] public partial Add Residual { get; }
            [GlobalAveragePool2D] public partial GlobalAveragePool2D Pool { get; }
            [Dense(10)] public partial Dense Output { get; }
        }
        """,
        "NG0105",
        "Layer 'Residual' (Add) cannot join 'Conv1' [16, 28, 28] with 'Conv2' [32, 14, 14]: the shapes must be equal; where a residual branch changes channels or resolution, give the shortcut a 1×1 Conv2D projection with the same filters and stride");

    [Fact]
    public void NG0105_ConcatOfImagesOfDifferentSizes() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [Conv2D(4, 3, Padding = Padding.Same)] public partial Conv2D Full { get; }
            [MaxPool2D(2)] public partial MaxPool2D Half { get; }
            [Concat(nameof(Full), [|nameof(Half)|])] public partial Concat Joined { get; }
            [GlobalAveragePool2D] public partial GlobalAveragePool2D Pool { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0105",
        "Layer 'Joined' (Concat) cannot join 'Full' [4, 8, 8] with 'Half' [4, 4, 4]: Concat joins along the first axis, so every other axis must agree (8 × 8 against 4 × 4); pool or stride the larger one first");

    [Fact]
    public void NG0105_ConcatOfAnImageAndAVector() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [Conv2D(4, 3, Padding = Padding.Same)] public partial Conv2D Conv { get; }
            [GlobalAveragePool2D] public partial GlobalAveragePool2D Pool { get; }
            [Concat(nameof(Conv), [|nameof(Pool)|])] public partial Concat Joined { get; }
            [Flatten] public partial Flatten Features { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0105",
        "Layer 'Joined' (Concat) cannot join 'Conv' [4, 8, 8] with 'Pool' [4]: Concat joins tensors of one rank along their first axis (channels of images, features of vectors)");

    [Fact]
    public void NG0007_ConcatOfOneInput() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(8)] public partial Dense Hidden { get; }
            [[|Concat(nameof(Hidden))|]] public partial Concat Output { get; }
        }
        """,
        "NG0007",
        "Layer 'Output': Concat needs at least two inputs, got 1");

    [Fact]
    public void NG0007_AddWithAnEmptyName() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(8)] public partial Dense Hidden { get; }
            [Add(nameof(Hidden), [|""|])] public partial Add Output { get; }
        }
        """,
        "NG0007",
        "Layer 'Output': Add second must name a layer with nameof(Layer), or the network input with LayerAttribute.NetworkInput");

    [Fact]
    public void NG0007_AddWithASoftmax() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(4)] public partial Dense Hidden { get; }
            [Add(nameof(Hidden), LayerAttribute.NetworkInput, [|Activation.Softmax|])] public partial Add Output { get; }
        }
        """,
        "NG0007",
        "Layer 'Output': Add activation must be elementwise (None, ReLU, LeakyReLU, Sigmoid, Tanh, GELU or ReLU6), not Softmax");

    [Fact]
    public void NG0007_AddWithInputSet() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(4)] public partial Dense Hidden { get; }
            [Add(nameof(Hidden), LayerAttribute.NetworkInput, [|Input = nameof(Hidden)|])] public partial Add Output { get; }
        }
        """,
        "NG0007",
        "Layer 'Output': Add names its inputs in its constructor; remove Input = \"Hidden\"");
}
