using NetGen.Generator.Tests.Infrastructure;
using Xunit;
using static NetGen.Generator.Tests.Infrastructure.DiagnosticAssert;

namespace NetGen.Generator.Tests;

/// <summary>The diagnostics of [Reuse] (a layer applied with another layer's parameters): ID, message and the exact span each points at.</summary>
public sealed class ReuseDiagnosticTests
{
    [Fact]
    public void NG0025_OwnerIsNoLayer() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(4)] public partial Dense Hidden { get; }
            [Reuse([|"hidden"|])] public partial Dense Again { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0025",
        "Layer 'Again' cannot reuse 'hidden': 'hidden' is no layer of network 'Net'; did you mean 'Hidden'? Names are case-sensitive; write nameof(Hidden)");

    [Fact]
    public void NG0025_ReuseOfAReuse() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(4)] public partial Dense Hidden { get; }
            [Reuse(nameof(Hidden))] public partial Dense Again { get; }
            [Reuse([|nameof(Again)|])] public partial Dense Third { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0025",
        "Layer 'Third' cannot reuse 'Again': 'Again' is itself a reuse of 'Hidden'; name the layer that owns the parameters: nameof(Hidden)");

    [Fact]
    public void NG0025_ReuseOfItself() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Reuse([|nameof(Again)|])] public partial Dense Again { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0025",
        "Layer 'Again' cannot reuse 'Again': a layer cannot reuse itself; name the layer whose parameters it applies");

    [Fact]
    public void NG0025_FrozenGoesOnTheOwner() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(4)] public partial Dense Hidden { get; }
            [[|Frozen|], Reuse(nameof(Hidden))] public partial Dense Again { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0025",
        "Layer 'Again' cannot reuse 'Hidden': it shares 'Hidden''s parameters, so it is frozen exactly when 'Hidden' is; put [Frozen] on 'Hidden' and remove it here");

    [Fact]
    public void NG0025_LayerWithoutParameters() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(4)] public partial Dense Hidden { get; }
            [Dropout(0.5)] public partial Dropout Drop { get; }
            [Reuse([|nameof(Drop)|])] public partial Dropout DropAgain { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0025",
        "Layer 'DropAgain' cannot reuse 'Drop': a Dropout layer has no parameters to share; declare another [Dropout] instead");

    [Fact]
    public void NG0025_JoinHasNoParameters() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(4)] public partial Dense Hidden { get; }
            [Add(nameof(Hidden), LayerAttribute.NetworkInput)] public partial Add Sum { get; }
            [Reuse([|nameof(Sum)|])] public partial Add SumAgain { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0025",
        "Layer 'SumAgain' cannot reuse 'Sum': a Add layer has no parameters to share; declare another [Add] instead");

    [Fact]
    public void NG0006_PropertyTypeIsNotTheOwnersKind() => AssertDiagnostic(
        """
        [Network, Input(4)]
        public partial class Net
        {
            [Dense(4)] public partial Dense Hidden { get; }
            [Reuse(nameof(Hidden))] public partial [|Conv2D|] Again { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0006",
        "Layer 'Again' is declared with [Reuse(nameof(Hidden))] but its property type is 'Conv2D'; declare it as 'Dense'");

    [Fact]
    public void NG0110_DenseReusedOnAnotherWidth() => AssertDiagnostic(
        """
        [Network, Input(128)]
        public partial class Net
        {
            [Dense(64, Activation.ReLU)] public partial Dense Encoder { get; }
            [Dense(32, Input = LayerAttribute.NetworkInput)] public partial Dense Narrow { get; }
            [[|Reuse(nameof(Encoder))|]] public partial Dense EncoderNarrow { get; }
            [Concat(nameof(Encoder), nameof(EncoderNarrow))] public partial Concat Joined { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0110",
        "Layer 'EncoderNarrow' reuses the parameters of 'Encoder', which reads 'input' [*, 128] and so has weight [64, 128], bias [64], but 'EncoderNarrow' reads 'Narrow' [*, 32], which would need weight [64, 32], bias [64]; a shared layer's inputs must give its parameters the same shapes");

    [Fact]
    public void Conv2DReusedOnAnotherImageSizeIsFine()
    {
        var run = GeneratorHarness.Run(
            """
            using NetGen;

            [Network(Loss = Loss.SoftmaxCrossEntropy), Input(2, 8, 8)]
            public partial class Net
            {
                [Conv2D(4, 3, Activation.ReLU, Padding = Padding.Same)] public partial Conv2D Encoder { get; }
                [GlobalAveragePool2D] public partial GlobalAveragePool2D Fine { get; }
                [MaxPool2D(2, Input = LayerAttribute.NetworkInput)] public partial MaxPool2D Half { get; }
                [Reuse(nameof(Encoder))] public partial Conv2D Coarse { get; }
                [GlobalAveragePool2D] public partial GlobalAveragePool2D CoarsePool { get; }
                [Concat(nameof(Fine), nameof(CoarsePool))] public partial Concat Joined { get; }
                [Dense(3)] public partial Dense Output { get; }
            }
            """);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
    }
}
