namespace NetGen.Runtime.Tests.Networks;

/// <summary>A small CNN whose 3×3 convolutions (valid and same padding) ask for Winograd F(2×2, 3×3).</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 8)]
[Input(3, 12, 11)]
public partial class TestWinogradCnn
{
    [Conv2D(8, 3, Activation.ReLU, Algorithm = ConvolutionAlgorithm.Winograd)] public partial Conv2D Conv1 { get; }
    [Conv2D(12, 3, Activation.GELU, Padding = Padding.Same, Algorithm = ConvolutionAlgorithm.Winograd)] public partial Conv2D Conv2 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool { get; }
    [Flatten] public partial Flatten Features { get; }
    [Dense(5)] public partial Dense Output { get; }
}

/// <summary><see cref="TestWinogradCnn"/> with im2col pinned, the reference it is compared with.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 8)]
[Input(3, 12, 11)]
public partial class TestIm2ColCnn
{
    [Conv2D(8, 3, Activation.ReLU, Algorithm = ConvolutionAlgorithm.Im2Col)] public partial Conv2D Conv1 { get; }
    [Conv2D(12, 3, Activation.GELU, Padding = Padding.Same, Algorithm = ConvolutionAlgorithm.Im2Col)] public partial Conv2D Conv2 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool { get; }
    [Flatten] public partial Flatten Features { get; }
    [Dense(5)] public partial Dense Output { get; }
}

/// <summary>
/// A CNN whose ReLU convolution of 16 input channels feeds a 2×2 max pooling alone: Auto fuses the two and
/// runs the pair forward through Winograd F(2×2, 3×3). The odd 13×13 output leaves a last row and column no window reads.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 6)]
[Input(16, 15, 15)]
public partial class TestAutoWinogradCnn
{
    [Conv2D(12, 3, Activation.ReLU)] public partial Conv2D Conv { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool { get; }
    [Flatten] public partial Flatten Features { get; }
    [Dense(5)] public partial Dense Output { get; }
}

/// <summary><see cref="TestAutoWinogradCnn"/> with im2col pinned, the reference it is compared with.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 6)]
[Input(16, 15, 15)]
public partial class TestPinnedIm2ColCnn
{
    [Conv2D(12, 3, Activation.ReLU, Algorithm = ConvolutionAlgorithm.Im2Col)] public partial Conv2D Conv { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool { get; }
    [Flatten] public partial Flatten Features { get; }
    [Dense(5)] public partial Dense Output { get; }
}
