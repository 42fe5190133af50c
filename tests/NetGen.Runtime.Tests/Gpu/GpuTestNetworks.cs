namespace NetGen.Runtime.Tests.Gpu;

/// <summary>Softmax cross-entropy over ReLU and Tanh layers, logits out.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 11)]
[Input(12)]
public partial class GpuClassifier
{
    [Dense(16, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dense(8, Activation.Tanh)] public partial Dense Middle { get; }
    [Dense(4)] public partial Dense Output { get; }
}

/// <summary>Binary cross-entropy absorbing a Sigmoid, over LeakyReLU and GELU (saved pre-activation).</summary>
[Network(Loss = Loss.BinaryCrossEntropy, Seed = 12)]
[Input(10)]
public partial class GpuBinary
{
    [Dense(12, Activation.LeakyReLU)] public partial Dense Hidden { get; }
    [Dense(6, Activation.GELU)] public partial Dense Middle { get; }
    [Dense(1, Activation.Sigmoid)] public partial Dense Output { get; }
}

/// <summary>Mean squared error through a Sigmoid output that the loss does not absorb.</summary>
[Network(Loss = Loss.MeanSquaredError, Seed = 13)]
[Input(6)]
public partial class GpuRegressor
{
    [Dense(16, Activation.GELU)] public partial Dense Encoder { get; }
    [Dense(3, Activation.Sigmoid)] public partial Dense Head { get; }
}

/// <summary>Mean absolute error, a layer without bias, and a Tanh output.</summary>
[Network(Loss = Loss.MeanAbsoluteError, Seed = 14)]
[Input(5)]
public partial class GpuAbsoluteRegressor
{
    [Dense(7, Activation.Tanh, Bias = false)] public partial Dense Encoder { get; }
    [Dense(2, Activation.Tanh)] public partial Dense Head { get; }
}

/// <summary>An image flattened into Dense layers, softmax absorbed by the loss, trained on soft targets.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 15)]
[Input(2, 3, 4)]
public partial class GpuFlattened
{
    [Flatten] public partial Flatten Flat { get; }
    [Dense(9, Activation.Sigmoid)] public partial Dense Hidden { get; }
    [Dense(3, Activation.Softmax)] public partial Dense Output { get; }
}
