using System.Linq;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>The generated source of functional (graph) networks, compared with verified snapshots; each must also compile cleanly.</summary>
public sealed class GraphSnapshotTests
{
    [Theory]
    [InlineData(nameof(GraphTestNetworks.ResidualNet), "Samples.Graphs.ResidualNet.g.cs")]
    [InlineData(nameof(GraphTestNetworks.TiedNet), "Samples.Graphs.TiedNet.g.cs")]
    [InlineData(nameof(GraphTestNetworks.MultiIoNet), "Samples.Graphs.MultiIoNet.g.cs")]
    public void GeneratedSourceMatchesSnapshot(string network, string hintName)
    {
        var source = (string)typeof(GraphTestNetworks).GetField(network)!.GetValue(null)!;
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity != Microsoft.CodeAnalysis.DiagnosticSeverity.Info));
        Assert.Equal(new[] { hintName }, run.Sources.Keys.Where(k => !k.EndsWith(".Gpu.g.cs")).ToArray());
        Assert.Empty(run.CompilationProblems);
        Snapshot.Verify(network, run.Sources[hintName]);
    }
}
