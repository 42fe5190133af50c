using System.Linq;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;
using static NetGen.Generator.Tests.Infrastructure.DiagnosticAssert;

namespace NetGen.Generator.Tests;

/// <summary>
/// Recurrent layers and Embedding in the generator: generated sources (snapshots, they compile, a device
/// class unless an Embedding keeps the network on the CPU), and the diagnostics at the attribute for sequences and token ids fed where they do not fit.
/// </summary>
public sealed class RecurrentTests
{
    // A sequence input ([steps, features]), an LSTM returning every step into an LSTM returning the
    // last, and a Dense head.
    private const string StackedLstm = """
        using NetGen;

        namespace Samples.Recurrent;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 3)]
        [Input(28, 28)]
        public partial class StackedLstm
        {
            [LSTM(16, ReturnSequences = true)] public partial LSTM First { get; }
            [LSTM(8)]                          public partial LSTM Second { get; }
            [Dense(10)]                        public partial Dense Output { get; }
        }
        """;

    [Fact]
    public void StackedLstmMatchesSnapshot()
    {
        var run = GeneratorHarness.Run(StackedLstm);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(new[] { "Samples.Recurrent.StackedLstm.Gpu.g.cs", "Samples.Recurrent.StackedLstm.g.cs" }, run.Sources.Keys.Order(System.StringComparer.Ordinal).ToArray());
        Assert.Empty(run.CompilationProblems);
        Snapshot.Verify(nameof(StackedLstm), run.Sources["Samples.Recurrent.StackedLstm.g.cs"]);
    }

    // A GRU regressor over a window of a series, returning the last step.
    private const string GruRegressor = """
        using NetGen;

        namespace Samples.Recurrent;

        [Network(Loss = Loss.MeanSquaredError, Seed = 4)]
        [Input(5, 1)]
        public partial class GruRegressor
        {
            [GRU(8)]   public partial GRU Recurrent { get; }
            [Dense(1)] public partial Dense Output { get; }
        }
        """;

    [Fact]
    public void GruRegressorMatchesSnapshot()
    {
        var run = GeneratorHarness.Run(GruRegressor);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        Snapshot.Verify(nameof(GruRegressor), run.Sources["Samples.Recurrent.GruRegressor.g.cs"]);
    }

    // Token ids through an Embedding into an LSTM.
    private const string TokenLstm = """
        using NetGen;

        namespace Samples.Recurrent;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 5)]
        [Input(12)]
        public partial class TokenLstm
        {
            [Embedding(50, 6, PaddingIndex = 0)] public partial Embedding Embedding { get; }
            [LSTM(8)]                            public partial LSTM Recurrent { get; }
            [Dense(2)]                           public partial Dense Output { get; }
        }
        """;

    [Fact]
    public void TokenLstmMatchesSnapshot()
    {
        var run = GeneratorHarness.Run(TokenLstm);

        Assert.Empty(run.Exceptions);
        // The Embedding and the LSTM both have device kernels: no NG0301, and a device class beside the CPU one.
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(new[] { "Samples.Recurrent.TokenLstm.g.cs", "Samples.Recurrent.TokenLstm.Gpu.g.cs" }, run.Sources.Keys.ToArray());
        Assert.Empty(run.CompilationProblems);
        Snapshot.Verify(nameof(TokenLstm), run.Sources["Samples.Recurrent.TokenLstm.g.cs"]);
    }

    // A bidirectional LSTM returning every step ([10, 12]: both directions side by side) into a
    // bidirectional GRU returning h_n of both directions ([10]), and a Dense head.
    private const string BidirectionalLstmGru = """
        using NetGen;

        namespace Samples.Recurrent;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 6)]
        [Input(10, 4)]
        public partial class BidirectionalLstmGru
        {
            [LSTM(6, ReturnSequences = true, Bidirectional = true)] public partial LSTM Lstm { get; }
            [GRU(5, Bidirectional = true)]                          public partial GRU Gru { get; }
            [Dense(3)]                                              public partial Dense Output { get; }
        }
        """;

    [Fact]
    public void BidirectionalLstmGruMatchesSnapshot()
    {
        var run = GeneratorHarness.Run(BidirectionalLstmGru);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        Snapshot.Verify(nameof(BidirectionalLstmGru), run.Sources["Samples.Recurrent.BidirectionalLstmGru.g.cs"]);
    }

    // Token ids padded with 0 at the end: the bidirectional LSTM takes each sample's length from the
    // Embedding's ids (MaskPadding), keeps it after its saved values and skips the padded steps.
    private const string MaskedTokenLstm = """
        using NetGen;

        namespace Samples.Recurrent;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 7)]
        [Input(12)]
        public partial class MaskedTokenLstm
        {
            [Embedding(50, 6, PaddingIndex = 0)]                  public partial Embedding Embedding { get; }
            [LSTM(8, Bidirectional = true, MaskPadding = true)]   public partial LSTM Recurrent { get; }
            [Dense(2)]                                            public partial Dense Output { get; }
        }
        """;

    [Fact]
    public void MaskedTokenLstmMatchesSnapshot()
    {
        var run = GeneratorHarness.Run(MaskedTokenLstm);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        Snapshot.Verify(nameof(MaskedTokenLstm), run.Sources["Samples.Recurrent.MaskedTokenLstm.g.cs"]);
    }

    [Fact]
    public void MaskedTokenLstmRunsOnTheDevice()
    {
        // The step kernels read each sample's length from the saved region's last float per sample, where the lengths kernel wrote it.
        var gpu = GeneratorHarness.Run(MaskedTokenLstm).Sources["Samples.Recurrent.MaskedTokenLstm.Gpu.g.cs"];

        Assert.Contains("global::NetGen.RecurrentLayer.CheckPadding<float>(layer: \"recurrent\", tokens: inputs, padding: 0f, steps: 12);", gpu, System.StringComparison.Ordinal);
        Assert.Contains("KERNEL void lengths_from_padding(", gpu, System.StringComparison.Ordinal);
        Assert.Matches(@"Launch\(""lengths_from_padding"", batch, /\* tokens \*/ Batch, 0, /\* lengths \*/ Activations, batch \* (\d+), /\* batch, steps, padding \*/ batch, 12, 0f\);", gpu);
        Assert.Matches(@"Launch\(""lstm_forward_step"".*/\* states, second, recurrent, lengths \*/ [^/]*, batch \* \d+, /\* b_ih", gpu);
    }

    [Fact]
    public void NG0101_LstmFedAVector() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(784)]
        public partial class Net
        {
            [[|LSTM(128)|]] public partial LSTM Recurrent { get; }
            [Dense(10)] public partial Dense Output { get; }
        }
        """,
        "NG0101",
        "Layer 'Recurrent' (LSTM) expects a sequence [steps, features] per sample but 'input' produces [784]; declare the input as [Input(steps, features)] with steps × features = 784");

    [Fact]
    public void NG0101_LstmFedAnImage() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(1, 8, 8)]
        public partial class Net
        {
            [Conv2D(4, 3)] public partial Conv2D Features { get; }
            [[|LSTM(16)|]] public partial LSTM Recurrent { get; }
            [Dense(10)] public partial Dense Output { get; }
        }
        """,
        "NG0101",
        "Layer 'Recurrent' (LSTM) expects a sequence [steps, features] per sample but 'Features' produces [4, 6, 6]; 'Features' must produce [steps, features] (a recurrent layer with ReturnSequences = true, or the network input)");

    [Fact]
    public void NG0101_DenseFedEveryStep() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(28, 28)]
        public partial class Net
        {
            [LSTM(128, ReturnSequences = true)] public partial LSTM Recurrent { get; }
            [[|Dense(10)|]] public partial Dense Output { get; }
        }
        """,
        "NG0101",
        "Layer 'Output' (Dense) expects a vector [features] per sample but 'Recurrent' produces [28, 128]; 'Recurrent' returns every step: set ReturnSequences = false on it for the last step's [128], set PerStep = true on 'Output' to apply it to each step, or add a Flatten layer before 'Output' to make it [3584]");

    [Fact]
    public void NG0101_GruFedAVector() => AssertDiagnostic(
        """
        [Network(Loss = Loss.MeanSquaredError), Input(5)]
        public partial class Net
        {
            [[|GRU(8)|]] public partial GRU Recurrent { get; }
            [Dense(1)] public partial Dense Output { get; }
        }
        """,
        "NG0101",
        "Layer 'Recurrent' (GRU) expects a sequence [steps, features] per sample but 'input' produces [5]; declare the input as [Input(steps, features)] with steps × features = 5");

    [Fact]
    public void NG0007_GruHiddenSize() => AssertDiagnostic(
        """
        [Network(Loss = Loss.MeanSquaredError), Input(5, 1)]
        public partial class Net
        {
            [GRU([|-2|])] public partial GRU Recurrent { get; }
            [Dense(1)] public partial Dense Output { get; }
        }
        """,
        "NG0007",
        "Layer 'Recurrent': GRU hidden size must be positive, got -2");

    [Fact]
    public void NG0007_SimpleRnnActivation() => AssertDiagnostic(
        """
        [Network(Loss = Loss.MeanSquaredError), Input(5, 1)]
        public partial class Net
        {
            [SimpleRNN(8, [|Activation.Sigmoid|])] public partial SimpleRNN Recurrent { get; }
            [Dense(1)] public partial Dense Output { get; }
        }
        """,
        "NG0007",
        "Layer 'Recurrent': SimpleRNN activation must be Tanh or ReLU (PyTorch's nn.RNN nonlinearities), got Sigmoid");

    [Fact]
    public void NG0101_EmbeddingAfterALayer() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(12)]
        public partial class Net
        {
            [Dense(12)] public partial Dense Features { get; }
            [[|Embedding(50, 6)|]] public partial Embedding Embedding { get; }
            [LSTM(8)] public partial LSTM Recurrent { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0101",
        "Layer 'Embedding' (Embedding) expects token ids [steps] from the network input per sample but 'Features' produces [12]; only the network input holds token ids: declare 'Embedding' first, or read it with Input = LayerAttribute.NetworkInput");

    [Fact]
    public void NG0101_EmbeddingOfAnImage() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(28, 28)]
        public partial class Net
        {
            [[|Embedding(50, 6)|]] public partial Embedding Embedding { get; }
            [Flatten] public partial Flatten Features { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0101",
        "Layer 'Embedding' (Embedding) expects token ids [steps] from the network input per sample but 'input' produces [28, 28]; declare the input as [Input(steps)] of token ids");

    [Fact]
    public void NG0120_MaskPaddingAfterAnEmbeddingWithoutPadding() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(12)]
        public partial class Net
        {
            [Embedding(50, 6)] public partial Embedding Embedding { get; }
            [GRU(8, [|MaskPadding = true|])] public partial GRU Recurrent { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0120",
        "Layer 'Recurrent' sets MaskPadding but reads 'Embedding', which carries no padded token ids; MaskPadding takes each sample's length from the ids of an Embedding with a PaddingIndex, read directly or through layers that keep its steps (Dropout, a Dense with PerStep, a recurrent layer with ReturnSequences and MaskPadding)");

    [Fact]
    public void NG0120_MaskPaddingAfterAnUnmaskedRecurrentLayer() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(12)]
        public partial class Net
        {
            [Embedding(50, 6, PaddingIndex = 0)] public partial Embedding Embedding { get; }
            [LSTM(8, ReturnSequences = true)] public partial LSTM First { get; }
            [SimpleRNN(4, [|MaskPadding = true|])] public partial SimpleRNN Second { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0120",
        "Layer 'Second' sets MaskPadding but reads 'First', which carries no padded token ids; MaskPadding takes each sample's length from the ids of an Embedding with a PaddingIndex, read directly or through layers that keep its steps (Dropout, a Dense with PerStep, a recurrent layer with ReturnSequences and MaskPadding)");

    [Fact]
    public void NG0007_EmbeddingVocabulary() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(12)]
        public partial class Net
        {
            [Embedding([|0|], 6)] public partial Embedding Embedding { get; }
            [LSTM(8)] public partial LSTM Recurrent { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0007",
        "Layer 'Embedding': Embedding vocabulary must be positive, got 0");

    [Fact]
    public void NG0104_LstmWhoseGateRowsOverflow() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(1, 1)]
        public partial class Net
        {
            [[|LSTM(536870912)|]] public partial LSTM Recurrent { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0104",
        "Layer 'Recurrent' makes network 'Net' too large: its parameters or per-sample activations exceed 2,147,483,647 floats, the most one buffer can hold");

    [Fact]
    public void NG0007_EmbeddingPaddingIndex() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(12)]
        public partial class Net
        {
            [Embedding(50, 6, [|PaddingIndex = 50|])] public partial Embedding Embedding { get; }
            [LSTM(8)] public partial LSTM Recurrent { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0007",
        "Layer 'Embedding': Embedding PaddingIndex must be a token id in [0, 50) or -1 for none, got 50");

    [Fact]
    public void NG0007_LstmHiddenSize() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(28, 28)]
        public partial class Net
        {
            [LSTM([|0|])] public partial LSTM Recurrent { get; }
            [Dense(10)] public partial Dense Output { get; }
        }
        """,
        "NG0007",
        "Layer 'Recurrent': LSTM hidden size must be positive, got 0");
}
