using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using NetGen.CodeFixes;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests.Tooling;

/// <summary>
/// Each code fix applied to the declaration that triggers its diagnostic: the fixed text is what a
/// user would write, and running the generator on it reports nothing and compiles cleanly.
/// </summary>
public sealed class CodeFixTests
{
    [Fact]
    public async Task NG0001_MakesTheNetworkPartial()
    {
        var fixedSource = await CodeFixRunner.ApplyAsync(
            """
            using NetGen;

            [Network, Input(4)]
            public class Net
            {
                [Dense(2)] public partial Dense Output { get; }
            }
            """,
            new MakeNetworkPartialFix(),
            "NG0001",
            "Make 'Net' partial");

        AssertFixed(
            """
            using NetGen;

            [Network, Input(4)]
            public partial class Net
            {
                [Dense(2)] public partial Dense Output { get; }
            }
            """,
            fixedSource);
    }

    [Fact]
    public async Task NG0005_MakesTheLayerAPartialGetOnlyProperty()
    {
        var fixedSource = await CodeFixRunner.ApplyAsync(
            """
            using NetGen;

            [Network, Input(4)]
            public partial class Net
            {
                [Dense(2)] public Dense Output { get; set; } = null!;
            }
            """,
            new MakeLayerPropertyPartialFix(),
            "NG0005",
            "Make 'Output' a partial get-only property");

        AssertFixed(
            """
            using NetGen;

            [Network, Input(4)]
            public partial class Net
            {
                [Dense(2)] public partial Dense Output { get; }
            }
            """,
            fixedSource);
    }

    [Fact]
    public async Task NG0012_ReplacesAStringThatDiffersInCaseWithNameof()
    {
        var fixedSource = await CodeFixRunner.ApplyAsync(
            """
            using NetGen;

            [Network, Input(4)]
            public partial class Net
            {
                [Dense(8)] public partial Dense Hidden { get; }
                [Dense(8, Input = LayerAttribute.NetworkInput)] public partial Dense Other { get; }
                [Add("hidden", nameof(Other))] public partial Add Output { get; }
            }
            """,
            new UseNameofFix(),
            "NG0012",
            "Use nameof(Hidden)");

        AssertFixed(
            """
            using NetGen;

            [Network, Input(4)]
            public partial class Net
            {
                [Dense(8)] public partial Dense Hidden { get; }
                [Dense(8, Input = LayerAttribute.NetworkInput)] public partial Dense Other { get; }
                [Add(nameof(Hidden), nameof(Other))] public partial Add Output { get; }
            }
            """,
            fixedSource);
    }

    [Fact]
    public async Task NG0105_ProjectsTheShortcutOfAResidualAdd()
    {
        var fixedSource = await CodeFixRunner.ApplyAsync(
            """
            using NetGen;

            [Network, Input(1, 28, 28)]
            public partial class Net
            {
                [Conv2D(16, 3, Padding = Padding.Same)] public partial Conv2D Stem { get; }
                [Conv2D(32, 3, Stride = 2, Padding = Padding.Same)] public partial Conv2D Down { get; }

                [Add(nameof(Down), nameof(Stem), Activation.ReLU)] public partial Add Residual { get; }
                [GlobalAveragePool2D] public partial GlobalAveragePool2D Pool { get; }
                [Dense(10)] public partial Dense Output { get; }
            }
            """,
            new InsertProjectionFix(),
            "NG0105",
            "Project 'Stem' with a 1×1 Conv2D of 32 filters, stride 2");

        AssertFixed(
            """
            using NetGen;

            [Network, Input(1, 28, 28)]
            public partial class Net
            {
                [Conv2D(16, 3, Padding = Padding.Same)] public partial Conv2D Stem { get; }
                [Conv2D(32, 3, Stride = 2, Padding = Padding.Same)] public partial Conv2D Down { get; }

                [Conv2D(32, 1, Stride = 2, Input = nameof(Stem))] public partial Conv2D StemProjection { get; }
                [Add(nameof(Down), nameof(StemProjection), Activation.ReLU)] public partial Add Residual { get; }
                [GlobalAveragePool2D] public partial GlobalAveragePool2D Pool { get; }
                [Dense(10)] public partial Dense Output { get; }
            }
            """,
            fixedSource);
    }

    [Fact]
    public async Task NG0105_OddImageSizesGetTheStrideThatMeetsThem()
    {
        // 7×7 → 4×4: a 1×1 window with stride 2 leaves (7 − 1) / 2 + 1 = 4 positions per axis.
        var fixedSource = await CodeFixRunner.ApplyAsync(
            """
            using NetGen;

            [Network, Input(1, 7, 7)]
            public partial class Net
            {
                [Conv2D(8, 3, Padding = Padding.Same)] public partial Conv2D Stem { get; }
                [Conv2D(16, 3, Stride = 2, Padding = Padding.Same)] public partial Conv2D Down { get; }
                [Add("Stem", nameof(Down))] public partial Add Residual { get; }
                [GlobalAveragePool2D] public partial GlobalAveragePool2D Pool { get; }
                [Dense(10)] public partial Dense Output { get; }
            }
            """,
            new InsertProjectionFix(),
            "NG0105",
            "Project 'Stem' with a 1×1 Conv2D of 16 filters, stride 2");

        AssertFixed(
            """
            using NetGen;

            [Network, Input(1, 7, 7)]
            public partial class Net
            {
                [Conv2D(8, 3, Padding = Padding.Same)] public partial Conv2D Stem { get; }
                [Conv2D(16, 3, Stride = 2, Padding = Padding.Same)] public partial Conv2D Down { get; }
                [Conv2D(16, 1, Stride = 2, Input = nameof(Stem))] public partial Conv2D StemProjection { get; }
                [Add(nameof(StemProjection), nameof(Down))] public partial Add Residual { get; }
                [GlobalAveragePool2D] public partial GlobalAveragePool2D Pool { get; }
                [Dense(10)] public partial Dense Output { get; }
            }
            """,
            fixedSource);
    }

    [Fact]
    public async Task NG0101_InsertsAFlattenWithAFreeName()
    {
        var fixedSource = await CodeFixRunner.ApplyAsync(
            """
            using NetGen;

            [Network, Input(1, 28, 28)]
            internal partial class Net
            {
                public int OutputFlatten => 0;

                [Dense(10)] internal partial Dense Output { get; }
            }
            """,
            new InsertFlattenFix(),
            "NG0101",
            "Insert a Flatten layer before 'Output'");

        AssertFixed(
            """
            using NetGen;

            [Network, Input(1, 28, 28)]
            internal partial class Net
            {
                public int OutputFlatten => 0;

                [Flatten] internal partial Flatten OutputFlatten2 { get; }
                [Dense(10)] internal partial Dense Output { get; }
            }
            """,
            fixedSource);
    }

    [Fact]
    public async Task NG0101_QualifiesFlattenWithoutAUsing()
    {
        var fixedSource = await CodeFixRunner.ApplyAsync(
            """
            [NetGen.Network, NetGen.Input(3, 8, 8)]
            public partial class Net
            {
                [NetGen.Dense(2)] public partial NetGen.Dense Output { get; }
            }
            """,
            new InsertFlattenFix(),
            "NG0101",
            "Insert a Flatten layer before 'Output'");

        Assert.Contains("[global::NetGen.Flatten] public partial global::NetGen.Flatten OutputFlatten { get; }", fixedSource);
        AssertCompilesCleanly(fixedSource);
    }

    [Fact]
    public async Task NG0101_DenseFedEveryStepSetsReturnSequencesFalseOnTheRecurrentLayer()
    {
        const string source = """
            using NetGen;

            [Network(Loss = Loss.SoftmaxCrossEntropy), Input(28, 28)]
            public partial class Net
            {
                [LSTM(128, ReturnSequences = true)] public partial LSTM Recurrent { get; }
                [Dense(10)] public partial Dense Output { get; }
            }
            """;

        var fixedSource = await CodeFixRunner.ApplyAsync(source, new ReturnLastStepFix(), "NG0101", "Return only the last step of 'Recurrent' (ReturnSequences = false)");

        AssertFixed(source.Replace("ReturnSequences = true", "ReturnSequences = false"), fixedSource);
        AssertCompilesCleanly(fixedSource);
    }

    [Fact]
    public async Task NG0101_ReturnLastStepIsNotOfferedForAnImage()
    {
        const string source = """
            using NetGen;

            [Network, Input(1, 28, 28)]
            public partial class Net
            {
                [Dense(10)] public partial Dense Output { get; }
            }
            """;

        Assert.Empty(await CodeFixRunner.ActionsAsync(source, new ReturnLastStepFix(), "NG0101"));
    }

    [Fact]
    public async Task NG0102_BinaryCrossEntropyOnSeveralUnitsOffersBothDirections()
    {
        const string source = """
            using NetGen;

            [Network(Loss = Loss.BinaryCrossEntropy), Input(4)]
            public partial class Net
            {
                [Dense(3)] public partial Dense Output { get; }
            }
            """;

        var titles = (await CodeFixRunner.ActionsAsync(source, new FitLossFix(), "NG0102")).Select(a => a.Title);
        Assert.Equal(["Set 'Output' to 1 unit for binary cross-entropy", "Use Loss.SoftmaxCrossEntropy for 3 classes"], titles);

        var oneUnit = await CodeFixRunner.ApplyAsync(source, new FitLossFix(), "NG0102", "Set 'Output' to 1 unit for binary cross-entropy");
        AssertFixed(source.Replace("Dense(3)", "Dense(1)"), oneUnit);

        var softmax = await CodeFixRunner.ApplyAsync(source, new FitLossFix(), "NG0102", "Use Loss.SoftmaxCrossEntropy for 3 classes");
        AssertFixed(source.Replace("Loss.BinaryCrossEntropy", "Loss.SoftmaxCrossEntropy"), softmax);
    }

    [Fact]
    public async Task NG0102_SoftmaxCrossEntropyOnOneUnitAddsTheLossArgument()
    {
        var fixedSource = await CodeFixRunner.ApplyAsync(
            """
            using NetGen;

            [Network, Input(4)]
            public partial class Net
            {
                [Dense(1)] public partial Dense Output { get; }
            }
            """,
            new FitLossFix(),
            "NG0102",
            "Use Loss.BinaryCrossEntropy for one output unit");

        AssertFixed(
            """
            using NetGen;

            [Network(Loss = Loss.BinaryCrossEntropy), Input(4)]
            public partial class Net
            {
                [Dense(1)] public partial Dense Output { get; }
            }
            """,
            fixedSource);
    }

    [Fact]
    public async Task NG0102_RemovesAnActivationTheLossReplaces()
    {
        var fixedSource = await CodeFixRunner.ApplyAsync(
            """
            using NetGen;

            [Network, Input(4)]
            public partial class Net
            {
                [Dense(3, Activation.ReLU)] public partial Dense Output { get; }
            }
            """,
            new FitLossFix(),
            "NG0102",
            "Remove the ReLU activation from 'Output' (the loss applies softmax)");

        AssertFixed(
            """
            using NetGen;

            [Network, Input(4)]
            public partial class Net
            {
                [Dense(3)] public partial Dense Output { get; }
            }
            """,
            fixedSource);
    }

    [Fact]
    public void EveryFixableIdIsInTheGeneratorsCatalog()
    {
        var catalog = DocumentationTests.Descriptors().Select(d => d.Id).ToHashSet();
        CodeFixProvider[] providers = [new MakeNetworkPartialFix(), new MakeLayerPropertyPartialFix(), new UseNameofFix(), new InsertFlattenFix(), new FitLossFix(), new InsertProjectionFix(), new MatchVocabularyFix()];

        Assert.All(providers.SelectMany(p => p.FixableDiagnosticIds), id => Assert.Contains(id, catalog));
    }

    private static void AssertFixed(string expected, string actual)
    {
        Assert.Equal(expected.Replace("\r\n", "\n"), actual.Replace("\r\n", "\n"));
        AssertCompilesCleanly(actual);
    }

    private static void AssertCompilesCleanly(string source)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.Exceptions);
        // NG03xx notes say which backend a network gets, not whether its declaration is right.
        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity != DiagnosticSeverity.Info));
        Assert.DoesNotContain(run.CompilationProblems, d => d.Severity == DiagnosticSeverity.Error);
    }
}
