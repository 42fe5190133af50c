using System.Linq;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;
using static NetGen.Generator.Tests.Infrastructure.DiagnosticAssert;

namespace NetGen.Generator.Tests;

/// <summary>
/// Stacked recurrent layers (<c>NumLayers</c>, <c>Dropout</c>): the expansion into one node per layer in
/// the generated source (snapshot: <c>_l1</c> tensors under one name, the Dropout node between, one
/// view), and the diagnostics at the argument at fault.
/// </summary>
public sealed class RecurrentStackTests
{
    // Two GRU layers with dropout between them, the top returning its last step to a Dense head.
    private const string StackedGru = """
        using NetGen;

        namespace Samples.Recurrent;

        [Network(Loss = Loss.MeanSquaredError, Seed = 6)]
        [Input(10, 3)]
        public partial class StackedGru
        {
            [GRU(8, NumLayers = 2, Dropout = 0.25)] public partial GRU Recurrent { get; }
            [Dense(1)]                               public partial Dense Output { get; }
        }
        """;

    [Fact]
    public void StackedGruMatchesSnapshot()
    {
        var run = GeneratorHarness.Run(StackedGru);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        Snapshot.Verify(nameof(StackedGru), run.Sources["Samples.Recurrent.StackedGru.g.cs"]);
    }

    [Theory]
    [InlineData("0", "NumLayers must lie in [1, 64], got 0")]
    [InlineData("65", "NumLayers must lie in [1, 64], got 65")]
    public void NG0125_NumLayersOutOfRange(string layers, string problem) => AssertDiagnostic(
        $$"""
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(5, 4)]
        public partial class Net
        {
            [LSTM(8, [|NumLayers = {{layers}}|])] public partial LSTM Recurrent { get; }
            [Dense(3)] public partial Dense Output { get; }
        }
        """,
        "NG0125",
        "Layer 'Recurrent' (LSTM): " + problem);

    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("-0.1", "-0.1")]
    public void NG0125_DropoutOutOfRange(string rate, string shown) => AssertDiagnostic(
        $$"""
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(5, 4)]
        public partial class Net
        {
            [GRU(8, NumLayers = 2, [|Dropout = {{rate}}|])] public partial GRU Recurrent { get; }
            [Dense(3)] public partial Dense Output { get; }
        }
        """,
        "NG0125",
        $"Layer 'Recurrent' (GRU): the dropout rate between stacked layers must lie in [0, 1), got {shown}");

    [Fact]
    public void NG0125_StackLayerNameTaken() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(5, 4)]
        public partial class Net
        {
            [[|SimpleRNN(8, NumLayers = 3)|]] public partial SimpleRNN Recurrent { get; }
            [Dense(4)] public partial Dense Recurrent_l1 { get; }
            [Dense(3)] public partial Dense Output { get; }
        }
        """,
        "NG0125",
        "Layer 'Recurrent' (SimpleRNN): its layers below the last are named 'Recurrent_l0', … in the generated code, and 'Recurrent_l1' is already a property of the network; rename that property");

    // Token ids padded with 0: a bidirectional two-layer LSTM that skips the padding returns every step through a Dropout and a
    // per-step Dense (both keep the padding) into a GRU that skips it too.
    private const string MaskedStack = """
        using NetGen;

        namespace Samples.Recurrent;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 8)]
        [Input(12)]
        public partial class MaskedStack
        {
            [Embedding(50, 6, PaddingIndex = 0)]                                                                        public partial Embedding Embedding { get; }
            [LSTM(8, NumLayers = 2, Dropout = 0.2, Bidirectional = true, ReturnSequences = true, MaskPadding = true)]   public partial LSTM Recurrent { get; }
            [Dropout(0.1)]                                                                                               public partial Dropout Drop { get; }
            [Dense(5, Activation.Tanh, PerStep = true)]                                                                  public partial Dense Step { get; }
            [GRU(4, MaskPadding = true)]                                                                                 public partial GRU Top { get; }
            [Dense(2)]                                                                                                   public partial Dense Output { get; }
        }
        """;

    [Fact]
    public void MaskedStackMatchesSnapshot()
    {
        var run = GeneratorHarness.Run(MaskedStack);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        Snapshot.Verify(nameof(MaskedStack), run.Sources["Samples.Recurrent.MaskedStack.g.cs"]);
    }

    [Fact]
    public void EveryMaskedLayerTakesTheLengthsFromTheEmbeddingsIds()
    {
        var run = GeneratorHarness.Run(MaskedStack);
        var cpu = run.Sources["Samples.Recurrent.MaskedStack.g.cs"];
        var gpu = run.Sources["Samples.Recurrent.MaskedStack.Gpu.g.cs"];

        // Layer 0 and layer 1 of the stack and the GRU: each finds the lengths into its own saved region and passes them to both passes.
        Assert.Equal(3, Occurrences(cpu, "global::NetGen.RecurrentLayer.LengthsFromPadding<float>("));
        Assert.Equal(6, Occurrences(cpu, ", lengths: lengths);"));
        Assert.Equal(3, Occurrences(gpu, "Launch(\"lengths_from_padding\", batch, /* tokens */ Batch, 0,"));
        Assert.Equal(3, Occurrences(gpu, "global::NetGen.RecurrentLayer.CheckPadding<float>("));
    }

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, string.Empty, System.StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public void NG0025_ReuseOfAStack() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(5, 4)]
        public partial class Net
        {
            [LSTM(4, NumLayers = 2, ReturnSequences = true)] public partial LSTM First { get; }
            [Reuse([|nameof(First)|])] public partial LSTM Again { get; }
            [Dense(3)] public partial Dense Output { get; }
        }
        """,
        "NG0025",
        "Layer 'Again' cannot reuse 'First': 'First' stacks 2 layers (NumLayers), and a stack's parameters cannot be shared yet; declare another [LSTM] instead");

    [Fact]
    public void NG0126_DropoutWithOneLayerWarnsAndStillGenerates()
    {
        var parsed = Markup.Parse(
            """
            using NetGen;

            [Network(Loss = Loss.SoftmaxCrossEntropy), Input(5, 4)]
            public partial class Net
            {
                [LSTM(8, [|Dropout = 0.3|])] public partial LSTM Recurrent { get; }
                [Dense(3)] public partial Dense Output { get; }
            }
            """);
        var run = GeneratorHarness.Run(parsed.Source);

        Assert.Empty(run.Exceptions);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("Layer 'Recurrent' (LSTM) has Dropout = 0.3 but NumLayers = 1: the dropout applies between stacked layers, so there is none to apply; set NumLayers = 2 or more, or remove Dropout (PyTorch warns the same)", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(parsed.Span, diagnostic.Location.SourceSpan);
        Assert.Equal(Diagnostics.DiagnosticDescriptors.DocumentationBaseUrl + "NG0126.md", diagnostic.Descriptor.HelpLinkUri);
        // PyTorch's behaviour: the layer works, without dropout (no Dropout node, no mask in the plan).
        Assert.Empty(run.CompilationProblems);
        Assert.DoesNotContain("Dropout.Forward", run.Sources["Net.g.cs"], System.StringComparison.Ordinal);
        Assert.DoesNotContain("dropout_forward", run.Sources["Net.Gpu.g.cs"], System.StringComparison.Ordinal);
    }
}
