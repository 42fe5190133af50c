using System.Linq;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>The generated source of representative networks, compared with verified snapshots; each must also compile cleanly.</summary>
public sealed class SnapshotTests
{
    [Theory]
    [InlineData(nameof(TestNetworks.MnistMlp), "Samples.MnistMlp.g.cs")]
    [InlineData(nameof(TestNetworks.BinaryClassifier), "Samples.Binary.BinaryClassifier.g.cs")]
    [InlineData(nameof(TestNetworks.NestedRegressor), "Models.Regressor.g.cs")]
    [InlineData(nameof(TestNetworks.FlattenedImage), "Samples.FlattenedImage.g.cs")]
    [InlineData(nameof(TestNetworks.RegularisedClassifier), "Samples.RegularisedClassifier.g.cs")]
    [InlineData(nameof(TestNetworks.FrozenBackbone), "Samples.FrozenBackbone.g.cs")]
    public void GeneratedSourceMatchesSnapshot(string network, string hintName)
    {
        var source = (string)typeof(TestNetworks).GetField(network)!.GetValue(null)!;
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Exceptions);
        // NG03xx Info diagnostics (no GPU path) and the .Gpu.g.cs files are checked by the Gpu* tests.
        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity != Microsoft.CodeAnalysis.DiagnosticSeverity.Info));
        Assert.Equal(new[] { hintName }, run.Sources.Keys.Where(k => !k.EndsWith(".Gpu.g.cs")).ToArray());
        Assert.Empty(run.CompilationProblems);
        Snapshot.Verify(network, run.Sources[hintName]);
    }

    [Fact]
    public void SnapshotDiffNamesTheFirstDifferingLines()
    {
        var diff = Snapshot.Diff("a\nb\nc", "a\nB\nc\nd");

        Assert.Equal("line 2:\n- b\n+ B\nline 4:\n- <end of file>\n+ d\n", diff);
    }

    [Fact]
    public void SeveralNetworksInOneProjectEachGetTheirOwnFile()
    {
        var run = GeneratorHarness.Run(TestNetworks.MnistMlp, TestNetworks.BinaryClassifier, TestNetworks.NestedRegressor);

        Assert.Equal(
            new[] { "Models.Regressor.g.cs", "Samples.Binary.BinaryClassifier.g.cs", "Samples.MnistMlp.g.cs" },
            run.Sources.Keys.Where(k => !k.EndsWith(".Gpu.g.cs")).OrderBy(k => k, System.StringComparer.Ordinal).ToArray());
        Assert.Empty(run.CompilationProblems);
    }
}
