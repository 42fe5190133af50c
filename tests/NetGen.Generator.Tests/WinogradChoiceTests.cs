using System.Text.RegularExpressions;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>Where Auto runs a ReLU convolution and the max pooling fused into it through Winograd F(2×2, 3×3) (a plan value, stated with its measured reason), and that every variant compiles.</summary>
public sealed class WinogradChoiceTests
{
    [Theory]
    [InlineData(16, "[Conv2D(4, 3, Activation.ReLU)]", "[MaxPool2D(2)]", true, true)]
    [InlineData(16, "[Conv2D(4, 3, Activation.ReLU, PaddingSize = 2)]", "[MaxPool2D(2)]", true, true)]
    [InlineData(16, "[Conv2D(4, 3, Activation.ReLU, Padding = Padding.Same)]", "[MaxPool2D(2)]", true, false)] // a block of dz would straddle windows: dx by col2im
    [InlineData(15, "[Conv2D(4, 3, Activation.ReLU)]", "[MaxPool2D(2)]", false, false)] // too few channels to pay
    [InlineData(16, "[Conv2D(4, 3, Activation.ReLU)]", "[MaxPool2D(3, Stride = 2)]", false, false)] // a window that is no 2×2 tile
    [InlineData(16, "[Conv2D(4, 3, Activation.ReLU, Stride = 2)]", "[MaxPool2D(2)]", false, false)]
    [InlineData(16, "[Conv2D(4, 5, Activation.ReLU)]", "[MaxPool2D(2)]", false, false)]
    public void Auto_picks_Winograd_for_a_pooled_3x3_layer_with_enough_channels(int channels, string convolution, string pooling, bool winograd, bool winogradInputGradient)
    {
        var code = ConvolutionUnderPooling.Code(channels, convolution, pooling);
        Assert.Equal(winograd ? 1 : 0, Regex.Matches(code, @"WinogradPooledConvolution\.Forward<float>\(").Count);
        Assert.Equal(winograd ? 1 : 0, Regex.Matches(code, @"WinogradPooledConvolution\.Backward<float>\(").Count);
        Assert.Equal(winograd ? 0 : 1, Regex.Matches(code, @" global::NetGen\.PooledConvolution\.Forward<float>\(").Count);
        Assert.Equal(winograd, code.Contains("// Algorithm: Winograd F(2×2, 3×3) with pool fused into its output transform (Auto: a 3×3 stride-1 ReLU convolution of at least 16 input channels under a 2×2 stride-2 max pooling; forward measured", System.StringComparison.Ordinal));
        Assert.Equal(winogradInputGradient, code.Contains("dx = dz ⊛ rot180(weight)ᵀ by Winograd F(2×2, 3×3), each 4×4 block of dz rebuilt from 2×2 pooling windows", System.StringComparison.Ordinal));
    }
}
