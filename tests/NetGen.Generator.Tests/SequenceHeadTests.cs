using System.Linq;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;
using static NetGen.Generator.Tests.Infrastructure.DiagnosticAssert;

namespace NetGen.Generator.Tests;

/// <summary>
/// Heads over a sequence in the generator: a per-step Dense (<c>PerStep = true</c>, Keras' TimeDistributed(Dense))
/// and GlobalAveragePool1D (snapshot; the device file of a per-step Dense that reads the network input), and
/// their diagnostics at the attribute.
/// </summary>
public sealed class SequenceHeadTests
{
    // A GRU returning every step, a ReLU Dense at each step, the mean over the steps, a Dense classifier.
    private const string PerStepHead = """
        using NetGen;

        namespace Samples.Recurrent;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 8)]
        [Input(12, 3)]
        public partial class PerStepHead
        {
            [GRU(8, ReturnSequences = true)]           public partial GRU Recurrent { get; }
            [Dense(4, Activation.ReLU, PerStep = true)] public partial Dense Projection { get; }
            [GlobalAveragePool1D]                      public partial GlobalAveragePool1D Mean { get; }
            [Dense(2)]                                 public partial Dense Output { get; }
        }
        """;

    [Fact]
    public void PerStepHeadMatchesSnapshot()
    {
        var run = GeneratorHarness.Run(PerStepHead);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        Snapshot.Verify(nameof(PerStepHead), run.Sources["Samples.Recurrent.PerStepHead.g.cs"]);
    }

    [Fact]
    public void PerStepDenseOnTheInputRunsOnTheDeviceOverEveryStep()
    {
        var run = GeneratorHarness.Run("""
            using NetGen;

            [Network(Loss = Loss.MeanSquaredError)]
            [Input(6, 5)]
            public partial class Net
            {
                [Dense(3, Activation.Tanh, PerStep = true)] public partial Dense Projection { get; }
                [Flatten]                                    public partial Flatten Steps { get; }
                [Dense(1)]                                   public partial Dense Output { get; }
            }
            """);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        var device = run.Sources["Net.Gpu.g.cs"];
        // Six steps of five features are batch · 6 rows of the product, forward and backward.
        Assert.Contains("Gemm(batch * 6, 3, 5, /* x */", device, System.StringComparison.Ordinal);
        Assert.Contains("Gemm(3, 5, batch * 6, /* dzᵀ */", device, System.StringComparison.Ordinal);
    }

    [Fact]
    public void NG0101_PerStepDenseFedAVector() => AssertDiagnostic(
        """
        [Network(Loss = Loss.MeanSquaredError), Input(10)]
        public partial class Net
        {
            [[|Dense(4, PerStep = true)|]] public partial Dense Hidden { get; }
            [Dense(1)] public partial Dense Output { get; }
        }
        """,
        "NG0101",
        "Layer 'Hidden' (Dense with PerStep = true) expects a sequence [steps, features] per sample but 'input' produces [10]; remove PerStep to apply it to the whole vector");

    [Fact]
    public void NG0101_MeanOverStepsOfTheLastStep() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(20, 4)]
        public partial class Net
        {
            [LSTM(8)] public partial LSTM Recurrent { get; }
            [[|GlobalAveragePool1D|]] public partial GlobalAveragePool1D Mean { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0101",
        "Layer 'Mean' (GlobalAveragePool1D) expects a sequence [steps, features] per sample but 'Recurrent' produces [8]; 'Recurrent' gives one vector per sample, with no steps to pool: if it is a recurrent layer, set ReturnSequences = true on it");

    [Fact]
    public void NG0120_MaskedMeanAboveAnUnmaskedRecurrentLayer() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(12)]
        public partial class Net
        {
            [Embedding(50, 6, PaddingIndex = 0)] public partial Embedding Embedding { get; }
            [LSTM(8, ReturnSequences = true)] public partial LSTM Recurrent { get; }
            [GlobalAveragePool1D([|MaskPadding = true|])] public partial GlobalAveragePool1D Mean { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0120",
        "Layer 'Mean' sets MaskPadding but reads 'Recurrent', which carries no padded token ids; MaskPadding takes each sample's length from the ids of an Embedding with a PaddingIndex, read directly or through layers that keep its steps (Dropout, a Dense with PerStep, a recurrent layer with ReturnSequences and MaskPadding)");
}
