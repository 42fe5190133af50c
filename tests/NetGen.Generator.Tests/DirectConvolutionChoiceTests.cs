using System.Text.RegularExpressions;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>Which convolutions run the direct algorithm (a plan value, stated with its reason in the generated code), fused with their pooling or not, and that every variant compiles.</summary>
public sealed class DirectConvolutionChoiceTests
{
    [Theory]
    [InlineData(3, "[Conv2D(4, 3, Activation.ReLU)]", "[MaxPool2D(2)]", "Auto: 27 values per patch", true)] // Chollet's first layer: fused with its pooling
    [InlineData(1, "[Conv2D(4, 3, Activation.ReLU)]", "[AvgPool2D(2)]", "Auto: 9 values per patch", false)]
    [InlineData(2, "[Conv2D(4, 3, Activation.Tanh)]", "[MaxPool2D(2)]", "Auto: 18 values per patch", false)]
    [InlineData(8, "[Conv2D(4, 3, Activation.ReLU, Algorithm = ConvolutionAlgorithm.Direct)]", "[MaxPool2D(2)]", "Algorithm = Direct", true)]
    [InlineData(8, "[Conv2D(4, 3, Activation.ReLU)]", "[MaxPool2D(2)]", null, true)] // 72 values per patch: im2col
    [InlineData(3, "[Conv2D(4, 1, Activation.ReLU)]", "[MaxPool2D(2)]", null, true)] // 1×1: no im2col to save
    [InlineData(1, "[Conv2D(4, 3, Activation.ReLU, Stride = 2)]", "[MaxPool2D(2)]", null, true)]
    [InlineData(1, "[Conv2D(4, 3, Activation.ReLU, Padding = Padding.Same)]", "[MaxPool2D(2)]", null, true)]
    public void Runs_a_convolution_of_few_channels_directly(int channels, string convolution, string pooling, string? reason, bool fused)
    {
        var code = ConvolutionUnderPooling.Code(channels, convolution, pooling);
        var runtimeClass = fused ? "PooledConvolution" : "Conv2D";
        Assert.Equal(reason is null ? 0 : 2, Regex.Matches(code, @", algorithm: global::NetGen\.ConvolutionAlgorithm\.Direct\);").Count);
        Assert.Single(Regex.Matches(code, $@"{runtimeClass}\.Forward<float>\("));
        Assert.Single(Regex.Matches(code, $@"{runtimeClass}\.Backward<float>\("));
        if (reason is not null)
        {
            Assert.Contains($"// Algorithm: direct convolution ({reason}", code, System.StringComparison.Ordinal);
        }
    }
}
