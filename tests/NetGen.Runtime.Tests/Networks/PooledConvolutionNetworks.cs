namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// A small CNN whose ReLU convolutions each feed a max pooling alone, so the generator fuses both pools
/// into the convolutions' epilogues; with 4 input channels and 7 filters, both patches (36 and 28
/// values) are too large for the direct convolution, so both run im2col.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 4)]
[Input(4, 14, 13)]
public partial class TestPooledCnn
{
    [Conv2D(7, 3, Activation.ReLU)] public partial Conv2D Conv1 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool1 { get; }
    [Conv2D(8, 2, Activation.ReLU)] public partial Conv2D Conv2 { get; }
    [MaxPool2D(3, Stride = 2)] public partial MaxPool2D Pool2 { get; }
    [Flatten] public partial Flatten Features { get; }
    [Dense(5)] public partial Dense Output { get; }
}

/// <summary><see cref="TestPooledCnn"/> with im2col pinned, which keeps each convolution and pooling apart: the reference it is compared with.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 4)]
[Input(4, 14, 13)]
public partial class TestUnpooledCnn
{
    [Conv2D(7, 3, Activation.ReLU, Algorithm = ConvolutionAlgorithm.Im2Col)] public partial Conv2D Conv1 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool1 { get; }
    [Conv2D(8, 2, Activation.ReLU, Algorithm = ConvolutionAlgorithm.Im2Col)] public partial Conv2D Conv2 { get; }
    [MaxPool2D(3, Stride = 2)] public partial MaxPool2D Pool2 { get; }
    [Flatten] public partial Flatten Features { get; }
    [Dense(5)] public partial Dense Output { get; }
}

/// <summary>
/// A small CNN whose convolutions have few input channels, so Auto runs both directly: the first with
/// its max pooling fused (27 values a patch), the second, read by a Flatten, on its own (6·2·2 = 24),
/// with the input gradient the first's pooled output needs.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 6)]
[Input(3, 14, 13)]
public partial class TestDirectCnn
{
    [Conv2D(6, 3, Activation.ReLU)] public partial Conv2D Conv1 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool1 { get; }
    [Conv2D(8, 2, Activation.Tanh)] public partial Conv2D Conv2 { get; }
    [Flatten] public partial Flatten Features { get; }
    [Dense(5)] public partial Dense Output { get; }
}

/// <summary><see cref="TestDirectCnn"/> with im2col pinned (and so its pooling apart): the reference it is compared with.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 6)]
[Input(3, 14, 13)]
public partial class TestDirectReferenceCnn
{
    [Conv2D(6, 3, Activation.ReLU, Algorithm = ConvolutionAlgorithm.Im2Col)] public partial Conv2D Conv1 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool1 { get; }
    [Conv2D(8, 2, Activation.Tanh, Algorithm = ConvolutionAlgorithm.Im2Col)] public partial Conv2D Conv2 { get; }
    [Flatten] public partial Flatten Features { get; }
    [Dense(5)] public partial Dense Output { get; }
}
