using System.Linq;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>The generated source of convolutional networks, compared with verified snapshots; each must also compile cleanly.</summary>
public sealed class ConvSnapshotTests
{
    [Theory]
    [InlineData(nameof(ConvTestNetworks.MnistCnn), "Samples.MnistCnn.g.cs")]
    [InlineData(nameof(ConvTestNetworks.TinyConvNet), "Samples.Vision.TinyConvNet.g.cs")]
    public void GeneratedSourceMatchesSnapshot(string network, string hintName)
    {
        var source = (string)typeof(ConvTestNetworks).GetField(network)!.GetValue(null)!;
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Exceptions);
        // NG03xx Info diagnostics (no GPU path) and the .Gpu.g.cs files are checked by the Gpu* tests.
        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity != Microsoft.CodeAnalysis.DiagnosticSeverity.Info));
        Assert.Equal(new[] { hintName }, run.Sources.Keys.Where(k => !k.EndsWith(".Gpu.g.cs")).ToArray());
        Assert.Empty(run.CompilationProblems);
        Snapshot.Verify(network, run.Sources[hintName]);
    }

    [Fact]
    public void PaddingMirrorMatchesPublicEnum()
    {
        Assert.Equal(System.Enum.GetNames(typeof(Padding)), System.Enum.GetNames(typeof(Layers.PaddingKind)));
        Assert.Equal((int)Padding.Same, (int)Layers.PaddingKind.Same);
    }

    [Fact]
    public void ConvolutionAlgorithmMirrorMatchesPublicEnum()
    {
        Assert.Equal(System.Enum.GetNames(typeof(ConvolutionAlgorithm)), System.Enum.GetNames(typeof(Layers.ConvolutionAlgorithmKind)));
        Assert.Equal((int)ConvolutionAlgorithm.Winograd, (int)Layers.ConvolutionAlgorithmKind.Winograd);
    }
}
