namespace NetGen.Bench;

/// <summary>The MLP of the PyTorch reference: 784-128(ReLU)-10, softmax cross-entropy.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(784)]
public partial class BenchMlp
{
    [Dense(128, Activation.ReLU)] public partial Dense Fc1 { get; }
    [Dense(10)] public partial Dense Fc2 { get; }
}

/// <summary>The reference's MNIST CNN: Conv 16 and 32 (3×3, ReLU) each with 2×2 max pooling, Dense 128 ReLU, Dense 10.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(1, 28, 28)]
public partial class BenchCnn
{
    [Conv2D(16, 3, Activation.ReLU)] public partial Conv2D Conv1 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool1 { get; }
    [Conv2D(32, 3, Activation.ReLU)] public partial Conv2D Conv2 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool2 { get; }
    [Flatten] public partial Flatten Flat { get; }
    [Dense(128, Activation.ReLU)] public partial Dense Fc1 { get; }
    [Dense(10)] public partial Dense Fc2 { get; }
}

/// <summary>Chollet's dogs-vs-cats convnet (Deep Learning with Python, ch. 5), as in the reference.</summary>
[Network(Loss = Loss.BinaryCrossEntropy)]
[Input(3, 150, 150)]
public partial class BenchChollet
{
    [Conv2D(32, 3, Activation.ReLU)] public partial Conv2D Conv1 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool1 { get; }
    [Conv2D(64, 3, Activation.ReLU)] public partial Conv2D Conv2 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool2 { get; }
    [Conv2D(128, 3, Activation.ReLU)] public partial Conv2D Conv3 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool3 { get; }
    [Conv2D(128, 3, Activation.ReLU)] public partial Conv2D Conv4 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool4 { get; }
    [Flatten] public partial Flatten Flat { get; }
    [Dropout(0.5)] public partial Dropout Drop { get; }
    [Dense(512, Activation.ReLU)] public partial Dense Fc1 { get; }
    [Dense(1, Activation.Sigmoid)] public partial Dense Fc2 { get; }
}

/// <summary>The reference's row-MNIST LSTM: 28 steps of 28 pixels, nn.LSTM(28, 128), Linear(128, 10) on the last step.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 4)]
[Input(28, 28)]
public partial class BenchLstm
{
    [LSTM(128)] public partial LSTM Lstm { get; }
    [Dense(10)] public partial Dense Output { get; }
}

/// <summary><see cref="BenchCnn"/> with its convolutions [Frozen]: a frozen backbone under the Dense head, for the feature cache.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(1, 28, 28)]
public partial class BenchFrozenCnn
{
    [Frozen, Conv2D(16, 3, Activation.ReLU)] public partial Conv2D Conv1 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool1 { get; }
    [Frozen, Conv2D(32, 3, Activation.ReLU)] public partial Conv2D Conv2 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool2 { get; }
    [Flatten] public partial Flatten Flat { get; }
    [Dense(128, Activation.ReLU)] public partial Dense Fc1 { get; }
    [Dense(10)] public partial Dense Fc2 { get; }
}
