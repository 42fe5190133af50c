namespace NetGen.Samples.Mnist;

/// <summary>
/// A small residual network: a 3×3 stem with 2×2 max pooling, then three stages of two 3×3
/// convolutions with BatchNorm, each added to its input (identity) or to a 1×1 stride-2 projection
/// where the width changes; global average pooling, dropout and the 10 class logits. [1, 28, 28] → [32, 14, 14]
/// → [64, 7, 7] → [128, 4, 4] → [128] → [10]. Chosen with PyTorch in bench/resnet_mnist.py.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 42)]
[Input(1, 28, 28)]
public partial class MnistResNet
{
    [Conv2D(32, 3, Padding = Padding.Same, Bias = false)] public partial Conv2D Stem { get; }
    [BatchNorm(Activation.ReLU)] public partial BatchNorm StemNorm { get; }
    [MaxPool2D(2)] public partial MaxPool2D StemPool { get; }

    [Conv2D(32, 3, Padding = Padding.Same, Bias = false)] public partial Conv2D Block1Conv1 { get; }
    [BatchNorm(Activation.ReLU)] public partial BatchNorm Block1Norm1 { get; }
    [Conv2D(32, 3, Padding = Padding.Same, Bias = false)] public partial Conv2D Block1Conv2 { get; }
    [BatchNorm] public partial BatchNorm Block1Norm2 { get; }
    [Add(nameof(Block1Norm2), nameof(StemPool), Activation.ReLU)] public partial Add Block1 { get; }

    [Conv2D(64, 3, Stride = 2, Padding = Padding.Same, Bias = false)] public partial Conv2D Block2Conv1 { get; }
    [BatchNorm(Activation.ReLU)] public partial BatchNorm Block2Norm1 { get; }
    [Conv2D(64, 3, Padding = Padding.Same, Bias = false)] public partial Conv2D Block2Conv2 { get; }
    [BatchNorm] public partial BatchNorm Block2Norm2 { get; }
    [Conv2D(64, 1, Stride = 2, Bias = false, Input = nameof(Block1))] public partial Conv2D Block2Projection { get; }
    [BatchNorm] public partial BatchNorm Block2ProjectionNorm { get; }
    [Add(nameof(Block2Norm2), nameof(Block2ProjectionNorm), Activation.ReLU)] public partial Add Block2 { get; }

    [Conv2D(128, 3, Stride = 2, Padding = Padding.Same, Bias = false)] public partial Conv2D Block3Conv1 { get; }
    [BatchNorm(Activation.ReLU)] public partial BatchNorm Block3Norm1 { get; }
    [Conv2D(128, 3, Padding = Padding.Same, Bias = false)] public partial Conv2D Block3Conv2 { get; }
    [BatchNorm] public partial BatchNorm Block3Norm2 { get; }
    [Conv2D(128, 1, Stride = 2, Bias = false, Input = nameof(Block2))] public partial Conv2D Block3Projection { get; }
    [BatchNorm] public partial BatchNorm Block3ProjectionNorm { get; }
    [Add(nameof(Block3Norm2), nameof(Block3ProjectionNorm), Activation.ReLU)] public partial Add Block3 { get; }

    [GlobalAveragePool2D] public partial GlobalAveragePool2D Pool { get; }
    [Dropout(0.25)] public partial Dropout PoolDropout { get; }
    [Dense(10)] public partial Dense Classifier { get; }
}
