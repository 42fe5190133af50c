using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>The tracked pipeline steps must be reused on unrelated edits and recomputed on real ones.</summary>
public sealed class IncrementalTests
{
    private static readonly string[] TrackedSteps = [NetGenGenerator.Steps.Parse, NetGenGenerator.Steps.Plan];

    /// <summary>A sequential network and a graph (branches, joins, a tensor read twice): their specs and plans must compare by value alike.</summary>
    public static TheoryData<string> Networks() => new(TestNetworks.MnistMlp, GraphTestNetworks.ResidualNet);

    [Theory]
    [MemberData(nameof(Networks))]
    public void SecondRunOnTheSameCompilationIsCached(string network)
    {
        var compilation = GeneratorHarness.Compile(network);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        foreach (var step in TrackedSteps)
        {
            Assert.All(Outputs(result, step), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void UnrelatedEditLeavesEveryStepCachedOrUnchanged(string network)
    {
        var compilation = GeneratorHarness.Compile(network, "public static class Helpers { public static int Twice(int x) => 2 * x; }");
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var helpers = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(helpers, CSharpSyntaxTree.ParseText("public static class Helpers { public static int Thrice(int x) => 3 * x; }", GeneratorHarness.ParseOptions, helpers.FilePath));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in TrackedSteps)
        {
            Assert.All(Outputs(result, step), reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step} was {reason}"));
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void EditInsideTheNetworkFileThatKeepsTheSpecIsUnchanged(string network)
    {
        var compilation = GeneratorHarness.Compile(network);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();
        var withComment = network + "\n// a trailing comment changes the tree but not the network\n";
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(withComment, GeneratorHarness.ParseOptions, tree.FilePath));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(Outputs(result, NetGenGenerator.Steps.Parse), reason => Assert.Equal(IncrementalStepRunReason.Unchanged, reason));
        Assert.All(Outputs(result, NetGenGenerator.Steps.Plan), reason => Assert.Equal(IncrementalStepRunReason.Cached, reason));
    }

    [Fact]
    public void ChangedLayerSizeIsModified()
    {
        var compilation = GeneratorHarness.Compile(TestNetworks.MnistMlp);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();
        var wider = TestNetworks.MnistMlp.Replace("Dense(128", "Dense(256");
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(wider, GeneratorHarness.ParseOptions, tree.FilePath));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(Outputs(result, NetGenGenerator.Steps.Parse), reason => Assert.Equal(IncrementalStepRunReason.Modified, reason));
        Assert.All(Outputs(result, NetGenGenerator.Steps.Plan), reason => Assert.Equal(IncrementalStepRunReason.Modified, reason));
        Assert.Contains("public const int ParameterCount = 203530;", result.GeneratedSources.Single(s => s.HintName == "Samples.MnistMlp.g.cs").SourceText.ToString());
    }

    private static IncrementalStepRunReason[] Outputs(GeneratorRunResult result, string step)
    {
        var runs = result.TrackedSteps[step];
        Assert.NotEmpty(runs);
        return runs.SelectMany(r => r.Outputs).Select(o => o.Reason).ToArray();
    }
}
