using System.Linq;
using System.Text.RegularExpressions;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>Which max poolings the generator fuses into the ReLU convolution before them (a plan value, stated with its reason in the generated code), and that every variant compiles.</summary>
public sealed class PoolFusionTests
{
    [Theory]
    [InlineData("[Conv2D(4, 3, Activation.ReLU)]", "[MaxPool2D(2)]", true)]
    [InlineData("[Conv2D(4, 3, Activation.ReLU)]", "[MaxPool2D(3, Stride = 2)]", true)] // overlapping windows
    [InlineData("[Conv2D(4, 3, Activation.ReLU, Algorithm = ConvolutionAlgorithm.Im2Col)]", "[MaxPool2D(2)]", false)] // pinned: the plain path
    [InlineData("[Conv2D(4, 3, Activation.ReLU, Algorithm = ConvolutionAlgorithm.Winograd)]", "[MaxPool2D(2)]", false)]
    [InlineData("[Conv2D(4, 3, Activation.Tanh)]", "[MaxPool2D(2)]", false)] // only ReLU commutes with the maximum
    [InlineData("[Conv2D(4, 3, Activation.ReLU)]", "[MaxPool2D(2, PaddingSize = 1)]", false)]
    [InlineData("[Conv2D(4, 3, Activation.ReLU)]", "[AvgPool2D(2)]", false)]
    public void Fuses_a_max_pooling_into_the_ReLU_convolution_before_it(string convolution, string pooling, bool fused)
    {
        var code = ConvolutionUnderPooling.Code(4, convolution, pooling);
        Assert.Equal(fused ? 1 : 0, Regex.Matches(code, @"PooledConvolution\.Forward<float>\(").Count);
        Assert.Equal(fused ? 1 : 0, Regex.Matches(code, @"PooledConvolution\.Backward<float>\(").Count);
        Assert.Equal(fused ? 0 : 1, Regex.Matches(code, @"Pool2D\.Forward<float>\(").Count);
        if (fused)
        {
            Assert.Contains("// Algorithm: im2col + GEMM with pool fused into its epilogue (a ReLU convolution read only by an unpadded max pooling:", code, System.StringComparison.Ordinal);
            Assert.Contains("// Computed in conv's epilogue, forward and backward", code, System.StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Keeps_a_convolution_that_is_also_an_output_apart_from_its_pooling()
    {
        const string source = """
            using NetGen;

            namespace Samples;

            [Network(Seed = 1)]
            public partial class Net
            {
                [Input(2, 12, 12)] public partial InputTensor Image { get; }
                [Conv2D(4, 3, Activation.ReLU, Input = nameof(Image)), Output(Loss.MeanSquaredError)] public partial Conv2D Conv { get; }
                [MaxPool2D(2, Input = nameof(Conv))] public partial MaxPool2D Pool { get; }
                [Flatten] public partial Flatten Features { get; }
                [Dense(3), Output(Loss.SoftmaxCrossEntropy)] public partial Dense Head { get; }
            }
            """;
        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.CompilationProblems);
        Assert.DoesNotContain("PooledConvolution", string.Concat(run.Sources.Values), System.StringComparison.Ordinal);
        Assert.Contains("MaxPool2D.Forward<float>(", string.Concat(run.Sources.Values), System.StringComparison.Ordinal);
    }
}
