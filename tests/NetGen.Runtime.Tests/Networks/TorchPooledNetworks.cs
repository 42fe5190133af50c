namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// The convnet of tests/reference/record_pooled.py: three ReLU convolutions, each under a 2×2 max pooling
/// that Auto fuses into it. conv1 (3 channels, 27 values a patch) runs the direct convolution, conv2
/// (same-padded) and conv3 (valid, odd 3×3 output) Winograd F(2×2, 3×3) with the pooling in its output
/// transform. [3, 22, 22] → [16, 10, 10] → [32, 5, 5] → [32, 1, 1] → [5]. Their 32 filters give conv2 and conv3 the
/// Winograd weight gradient too.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 21)]
[Input(3, 22, 22)]
public partial class TorchPooledCnn
{
    [Conv2D(16, 3, Activation.ReLU)] public partial Conv2D Conv1 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool1 { get; }
    [Conv2D(32, 3, Activation.ReLU, Padding = Padding.Same)] public partial Conv2D Conv2 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool2 { get; }
    [Conv2D(32, 3, Activation.ReLU)] public partial Conv2D Conv3 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool3 { get; }
    [Flatten] public partial Flatten Features { get; }
    [Dense(5)] public partial Dense Output { get; }
}
