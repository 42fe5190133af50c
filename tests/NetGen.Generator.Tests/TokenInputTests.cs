using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.CodeFixes;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;
using static NetGen.Generator.Tests.Infrastructure.DiagnosticAssert;

namespace NetGen.Generator.Tests;

/// <summary>Inputs declared as token ids with a vocabulary: what they allow, the diagnostics at the attribute (NG0121-NG0123) and NG0121's fix.</summary>
public sealed class TokenInputTests
{
    [Theory]
    [InlineData("[Input(12, Kind = InputKind.Tokens, Vocabulary = 50)]", "Embedding(50, 6)")]
    [InlineData("[Input(12, Kind = InputKind.Tokens, Vocabulary = 40)]", "Embedding(50, 6)")]
    [InlineData("[Input(12)]", "Embedding(50, 6)")]
    public void EmbeddingWithRoomForEveryIdCompiles(string input, string embedding)
    {
        var run = GeneratorHarness.Run($$"""
            using NetGen;

            [Network(Loss = Loss.SoftmaxCrossEntropy)]
            {{input}}
            public partial class Net
            {
                [{{embedding}}] public partial Embedding Embedding { get; }
                [GlobalAveragePool1D] public partial GlobalAveragePool1D Mean { get; }
                [Dense(2)] public partial Dense Output { get; }
            }
            """);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
    }

    [Fact]
    public void NG0121_EmbeddingSmallerThanTheInputsVocabulary() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(100, Kind = InputKind.Tokens, Vocabulary = 20000)]
        public partial class Net
        {
            [Embedding([|10000|], 64)] public partial Embedding Words { get; }
            [GlobalAveragePool1D] public partial GlobalAveragePool1D Mean { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0121",
        "Embedding 'Words' has 10000 rows but 'input' declares token ids in [0, 20000): ids 10000 and above would fall outside its table; set its vocabulary to 20000");

    [Fact]
    public void NG0122_DenseReadingTokenIds() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(100, Kind = InputKind.Tokens, Vocabulary = 20000)]
        public partial class Net
        {
            [[|Dense(16)|]] public partial Dense Hidden { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0122",
        "Layer 'Hidden' (Dense) reads the token ids of 'input', but token ids are names, not quantities (id 7 is not seven times id 1); read them with an [Embedding(20000, dimension)] first, which turns each id into a vector of features");

    [Fact]
    public void NG0122_DropoutReadingTokenIds() => AssertDiagnostic(
        """
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(10, Kind = InputKind.Tokens, Vocabulary = 30)]
        public partial class Net
        {
            [[|Dropout(0.1)|]] public partial Dropout Drop { get; }
            [Embedding(30, 4)] public partial Embedding Embedding { get; }
            [GlobalAveragePool1D] public partial GlobalAveragePool1D Mean { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0122",
        "Layer 'Drop' (Dropout) reads the token ids of 'input', but token ids are names, not quantities (id 7 is not seven times id 1); read them with an [Embedding(30, dimension)] first, which turns each id into a vector of features");

    [Theory]
    [InlineData("Kind = InputKind.Tokens, [|Vocabulary = 0|]", "The input of 'Net': Vocabulary = 0 is not a number of token ids: it must be positive")]
    [InlineData("Kind = InputKind.Tokens, [|Vocabulary = -5|]", "The input of 'Net': Vocabulary = -5 is not a number of token ids: it must be positive")]
    [InlineData("[|Kind = InputKind.Tokens|]", "The input of 'Net': Kind = InputKind.Tokens needs Vocabulary = n, the number of token ids (each in [0, n))")]
    [InlineData("[|Vocabulary = 50|]", "The input of 'Net': Vocabulary = 50 applies to token ids only: add Kind = InputKind.Tokens, or remove Vocabulary")]
    public void NG0123_TokenInputWithoutAPositiveVocabulary(string arguments, string message) => AssertDiagnostic(
        $$"""
        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(12, {{arguments}})]
        public partial class Net
        {
            [Embedding(50, 6)] public partial Embedding Embedding { get; }
            [GlobalAveragePool1D] public partial GlobalAveragePool1D Mean { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """,
        "NG0123",
        message);

    [Fact]
    public async Task NG0121_FixGivesTheEmbeddingTheInputsVocabulary()
    {
        const string source = """
            using NetGen;

            [Network(Loss = Loss.SoftmaxCrossEntropy), Input(100, Kind = InputKind.Tokens, Vocabulary = 20000)]
            public partial class Net
            {
                [Embedding(10000, 64, PaddingIndex = 0)] public partial Embedding Words { get; }
                [GlobalAveragePool1D] public partial GlobalAveragePool1D Mean { get; }
                [Dense(2)] public partial Dense Output { get; }
            }
            """;

        var fixedSource = await CodeFixRunner.ApplyAsync(source, new MatchVocabularyFix(), "NG0121", "Give the Embedding the input's vocabulary (20000)");

        Assert.Equal(source.Replace("Embedding(10000, 64", "Embedding(20000, 64"), fixedSource.Replace("\r\n", "\n"));
        var run = GeneratorHarness.Run(fixedSource);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.DoesNotContain(run.CompilationProblems, d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
    }

    [Fact]
    public void ChangingOnlyTheVocabularyReachesThePlanner()
    {
        // The vocabulary is part of the input shape's equality: the plan cached for 40 ids must not answer for 60.
        var compilation = GeneratorHarness.Compile(Declared(40));
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(Declared(60), GeneratorHarness.ParseOptions, tree.FilePath));

        Assert.Empty(driver.GetRunResult().Diagnostics);
        Assert.Equal("NG0121", Assert.Single(driver.RunGenerators(edited).GetRunResult().Diagnostics).Id);
    }

    private static string Declared(int vocabulary) => $$"""
        using NetGen;

        [Network(Loss = Loss.SoftmaxCrossEntropy), Input(12, Kind = InputKind.Tokens, Vocabulary = {{vocabulary}})]
        public partial class Net
        {
            [Embedding(50, 6)] public partial Embedding Embedding { get; }
            [GlobalAveragePool1D] public partial GlobalAveragePool1D Mean { get; }
            [Dense(2)] public partial Dense Output { get; }
        }
        """;
}
