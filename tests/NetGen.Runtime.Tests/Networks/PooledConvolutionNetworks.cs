namespace NetGen.Runtime.Tests.Networks;

/// <summary>A small CNN whose ReLU convolutions each feed a max pooling alone, so the generator fuses both pools into the convolutions' epilogues.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 4)]
[Input(3, 14, 13)]
public partial class TestPooledCnn
{
    [Conv2D(6, 3, Activation.ReLU)] public partial Conv2D Conv1 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool1 { get; }
    [Conv2D(8, 2, Activation.ReLU)] public partial Conv2D Conv2 { get; }
    [MaxPool2D(3, Stride = 2)] public partial MaxPool2D Pool2 { get; }
    [Flatten] public partial Flatten Features { get; }
    [Dense(5)] public partial Dense Output { get; }
}

/// <summary><see cref="TestPooledCnn"/> with im2col pinned, which keeps each convolution and pooling apart: the reference it is compared with.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 4)]
[Input(3, 14, 13)]
public partial class TestUnpooledCnn
{
    [Conv2D(6, 3, Activation.ReLU, Algorithm = ConvolutionAlgorithm.Im2Col)] public partial Conv2D Conv1 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool1 { get; }
    [Conv2D(8, 2, Activation.ReLU, Algorithm = ConvolutionAlgorithm.Im2Col)] public partial Conv2D Conv2 { get; }
    [MaxPool2D(3, Stride = 2)] public partial MaxPool2D Pool2 { get; }
    [Flatten] public partial Flatten Features { get; }
    [Dense(5)] public partial Dense Output { get; }
}
