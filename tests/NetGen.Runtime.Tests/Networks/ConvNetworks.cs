namespace NetGen.Runtime.Tests.Networks;

/// <summary>The MNIST CNN of the sample, declared as a user would, compiled by the real generator.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 42)]
[Input(1, 28, 28)]
public partial class TestMnistCnn
{
    [Conv2D(16, 3, Activation.ReLU)] public partial Conv2D Conv1 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool1 { get; }
    [Conv2D(32, 3, Activation.ReLU)] public partial Conv2D Conv2 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool2 { get; }
    [Flatten] public partial Flatten Features { get; }
    [Dense(128, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dense(10)] public partial Dense Output { get; }
}

/// <summary>A small all-convolutional regressor: strided and padded convolutions, GELU's saved pre-activation, average and global pooling.</summary>
[Network(Loss = Loss.MeanSquaredError, Seed = 5)]
[Input(2, 9, 7)]
public partial class TestConvRegressor
{
    [Conv2D(4, 3, Activation.Tanh, Padding = Padding.Same)] public partial Conv2D Conv1 { get; }
    [Conv2D(5, 2, Activation.GELU, Stride = 2, PaddingSize = 1, Bias = false)] public partial Conv2D Conv2 { get; }
    [AvgPool2D(2, Stride = 1)] public partial AvgPool2D Smooth { get; }
    [Conv2D(3, 1, Activation.LeakyReLU)] public partial Conv2D Mix { get; }
    [GlobalAveragePool2D] public partial GlobalAveragePool2D Pool { get; }
    [Dense(2, Activation.Sigmoid)] public partial Dense Head { get; }
}
