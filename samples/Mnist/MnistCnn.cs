namespace NetGen.Samples.Mnist;

/// <summary>
/// A small LeNet-style convolutional network: two 3×3 ReLU convolutions, each followed by 2×2 max
/// pooling, then a ReLU dense layer and the 10 class logits. [1, 28, 28] → [16, 26, 26] → [16, 13, 13]
/// → [32, 11, 11] → [32, 5, 5] → [800] → [128] → [10].
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 42)]
[Input(1, 28, 28)]
public partial class MnistCnn
{
    [Conv2D(16, 3, Activation.ReLU)] public partial Conv2D Conv1 { get; }
    [MaxPool2D(2)]                   public partial MaxPool2D Pool1 { get; }
    [Conv2D(32, 3, Activation.ReLU)] public partial Conv2D Conv2 { get; }
    [MaxPool2D(2)]                   public partial MaxPool2D Pool2 { get; }
    [Flatten]                        public partial Flatten Features { get; }
    [Dense(128, Activation.ReLU)]    public partial Dense Hidden { get; }
    [Dense(10)]                      public partial Dense Output { get; }
}
