using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>Embedding and GlobalAveragePool1D on the device: the GPU file of a token classifier, its host-side id check and its kernels.</summary>
public sealed class TokenDeviceTests
{
    /// <summary>Token ids with a padding id, embedded, averaged over the steps, a ReLU Dense, a classifier.</summary>
    public const string TokenMean = """
        using NetGen;

        namespace Samples;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 3)]
        [Input(9)]
        public partial class TokenMean
        {
            [Embedding(50, 6, PaddingIndex = 0)] public partial Embedding Embedding { get; }
            [GlobalAveragePool1D]                 public partial GlobalAveragePool1D Mean { get; }
            [Dense(5, Activation.ReLU)]           public partial Dense Hidden { get; }
            [Dense(3)]                            public partial Dense Output { get; }
        }
        """;

    [Fact]
    public void TokenMeanRunsOnTheDeviceAndMatchesSnapshot()
    {
        var run = GeneratorHarness.Run(TokenMean);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationProblems);
        var device = run.Sources["Samples.TokenMean.Gpu.g.cs"];
        Assert.Contains("global::NetGen.Embedding.CheckTokens<float>(layer: \"embedding\", tokens: inputs, vocabulary: 50);", device, System.StringComparison.Ordinal);
        Snapshot.Verify(nameof(TokenMean) + ".Gpu", device);
    }

    [Fact]
    public void NetworkWithoutTokensChecksNoInputs()
    {
        var device = GeneratorHarness.Run(TestNetworks.MnistMlp).Sources["Samples.MnistMlp.Gpu.g.cs"];

        Assert.DoesNotContain("CheckInputs", device, System.StringComparison.Ordinal);
        Assert.DoesNotContain("KERNEL void embedding_forward(", device, System.StringComparison.Ordinal);
        Assert.DoesNotContain("KERNEL void mean_over_steps_forward(", device, System.StringComparison.Ordinal);
    }
}
