using NetGen.Generator.Tests.Infrastructure;
using Xunit;
using static NetGen.Generator.Tests.Infrastructure.DiagnosticAssert;

namespace NetGen.Generator.Tests;

/// <summary>The diagnostics of convolution and pooling layers: ID, message and the exact span each points at.</summary>
public sealed class ConvDiagnosticTests
{
    [Fact]
    public void NG0103_KernelLargerThanItsInput() => AssertDiagnostic(
        """
        [Network, Input(1, 4, 4)]
        public partial class Net
        {
            [[|Conv2D(8, 5)|]] public partial Conv2D Conv { get; }
        }
        """,
        "NG0103",
        "Layer 'Conv' (Conv2D) has a 5×5 kernel, larger than the 4×4 image (padding 0) that 'input' produces as [1, 4, 4], so its output would be [8, 0, 0]; use a smaller kernel, more padding, or fewer downsampling layers before 'Conv'");

    [Fact]
    public void NG0103_PoolingShrinksTheImageToNothing() => AssertDiagnostic(
        """
        [Network, Input(1, 7, 6)]
        public partial class Net
        {
            [Conv2D(4, 3)] public partial Conv2D Conv { get; }
            [MaxPool2D(2)] public partial MaxPool2D Pool1 { get; }
            [[|AvgPool2D(3)|]] public partial AvgPool2D Pool2 { get; }
        }
        """,
        "NG0103",
        "Layer 'Pool2' (AvgPool2D) has a 3×3 window, larger than the 2×2 image (padding 0) that 'Pool1' produces as [4, 2, 2], so its output would be [4, 0, 0]; use a smaller window, more padding, or fewer downsampling layers before 'Pool2'");

    [Fact]
    public void NG0007_ZeroStride() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [Conv2D(4, 3, [|Stride = 0|])] public partial Conv2D Conv { get; }
        }
        """,
        "NG0007",
        "Layer 'Conv': Conv2D Stride must be positive, got 0");

    [Fact]
    public void NG0007_NegativePool() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [MaxPool2D([|-2|])] public partial MaxPool2D Pool { get; }
        }
        """,
        "NG0007",
        "Layer 'Pool': MaxPool2D pool must be positive, got -2");

    [Fact]
    public void NG0007_NegativePoolStride() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [AvgPool2D(2, [|Stride = -1|])] public partial AvgPool2D Pool { get; }
        }
        """,
        "NG0007",
        "Layer 'Pool': AvgPool2D Stride must be positive, got -1");

    [Fact]
    public void NG0007_NegativePaddingSize() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [Conv2D(4, 3, [|PaddingSize = -1|])] public partial Conv2D Conv { get; }
        }
        """,
        "NG0007",
        "Layer 'Conv': Conv2D PaddingSize must not be negative, got -1");

    [Fact]
    public void NG0140_WinogradOnAStridedLayer() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [Conv2D(4, 3, Stride = 2, [|Algorithm = ConvolutionAlgorithm.Winograd|])] public partial Conv2D Conv { get; }
        }
        """,
        "NG0140",
        "Layer 'Conv' asks for Algorithm = ConvolutionAlgorithm.Winograd, which cannot compute its 3×3 kernel, stride 2: it needs a 3×3 kernel, stride 1 and at most 2 of padding on each side; remove Algorithm to let NetGen choose, or set Algorithm = ConvolutionAlgorithm.Im2Col");

    [Fact]
    public void NG0140_WinogradOnAWidelyPaddedLayer() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [Conv2D(4, 3, PaddingSize = 3, [|Algorithm = ConvolutionAlgorithm.Winograd|])] public partial Conv2D Conv { get; }
        }
        """,
        "NG0140",
        "Layer 'Conv' asks for Algorithm = ConvolutionAlgorithm.Winograd, which cannot compute its 3×3 kernel, stride 1, padding 3: it needs a 3×3 kernel, stride 1 and at most 2 of padding on each side; remove Algorithm to let NetGen choose, or set Algorithm = ConvolutionAlgorithm.Im2Col");

    [Fact]
    public void NG0140_DirectOnAPaddedLayer() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [Conv2D(4, 3, Padding = Padding.Same, [|Algorithm = ConvolutionAlgorithm.Direct|])] public partial Conv2D Conv { get; }
        }
        """,
        "NG0140",
        "Layer 'Conv' asks for Algorithm = ConvolutionAlgorithm.Direct, which cannot compute its 3×3 kernel, stride 1, padding 1: it needs stride 1 and no padding; remove Algorithm to let NetGen choose, or set Algorithm = ConvolutionAlgorithm.Im2Col");

    [Fact]
    public void NG0140_DirectOnAStridedLayer() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [Conv2D(4, 3, Stride = 2, [|Algorithm = ConvolutionAlgorithm.Direct|])] public partial Conv2D Conv { get; }
        }
        """,
        "NG0140",
        "Layer 'Conv' asks for Algorithm = ConvolutionAlgorithm.Direct, which cannot compute its 3×3 kernel, stride 2: it needs stride 1 and no padding; remove Algorithm to let NetGen choose, or set Algorithm = ConvolutionAlgorithm.Im2Col");

    [Fact]
    public void NG0007_AlgorithmOutOfRange() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [Conv2D(4, 3, [|Algorithm = (ConvolutionAlgorithm)7|])] public partial Conv2D Conv { get; }
        }
        """,
        "NG0007",
        "Layer 'Conv': 7 is not a ConvolutionAlgorithm value");

    [Fact]
    public void NG0007_SamePaddingWithAnEvenKernel() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [Conv2D(4, 2, [|Padding = Padding.Same|])] public partial Conv2D Conv { get; }
        }
        """,
        "NG0007",
        "Layer 'Conv': Conv2D Padding.Same needs an odd kernel to pad both sides equally, got 2; set Pads (e.g. [0, 0, 1, 1] for a 2×2 kernel) or PaddingSize instead");

    [Fact]
    public void NG0007_SoftmaxConvolution() => AssertDiagnostic(
        """
        [Network, Input(1, 8, 8)]
        public partial class Net
        {
            [Conv2D(4, 3, [|Activation.Softmax|])] public partial Conv2D Conv { get; }
        }
        """,
        "NG0007",
        "Layer 'Conv': Conv2D activation must be elementwise; Softmax over an image is not supported");

    [Fact]
    public void NG0101_ConvolutionOfAVector() => AssertDiagnostic(
        """
        [Network, Input(8)]
        public partial class Net
        {
            [Dense(16)] public partial Dense Hidden { get; }
            [[|Conv2D(4, 3)|]] public partial Conv2D Conv { get; }
        }
        """,
        "NG0101",
        "Layer 'Conv' (Conv2D) expects an image [channels, height, width] per sample but 'Hidden' produces [16]");

    [Fact]
    public void NG0101_PoolingOfAChannellessImageSuggestsAChannel() => AssertDiagnostic(
        """
        [Network, Input(28, 28)]
        public partial class Net
        {
            [[|MaxPool2D(2)|]] public partial MaxPool2D Pool { get; }
        }
        """,
        "NG0101",
        "Layer 'Pool' (MaxPool2D) expects an image [channels, height, width] per sample but 'input' produces [28, 28]; declare a single-channel image as [Input(1, 28, 28)]");

    [Fact]
    public void NG0101_GlobalPoolingOfAVector() => AssertDiagnostic(
        """
        [Network, Input(8)]
        public partial class Net
        {
            [[|GlobalAveragePool2D|]] public partial GlobalAveragePool2D Pool { get; }
        }
        """,
        "NG0101",
        "Layer 'Pool' (GlobalAveragePool2D) expects an image [channels, height, width] per sample but 'input' produces [8]");

    [Fact]
    public void NG0101_DenseAfterPoolingSuggestsFlatten() => AssertDiagnostic(
        """
        [Network, Input(1, 28, 28)]
        public partial class Net
        {
            [Conv2D(4, 3)] public partial Conv2D Conv { get; }
            [MaxPool2D(2)] public partial MaxPool2D Pool { get; }
            [[|Dense(10)|]] public partial Dense Output { get; }
        }
        """,
        "NG0101",
        "Layer 'Output' (Dense) expects a vector [features] per sample but 'Pool' produces [4, 13, 13]; add a Flatten layer before 'Output' to make it [676]");
}
