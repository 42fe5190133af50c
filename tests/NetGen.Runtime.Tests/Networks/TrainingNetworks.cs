namespace NetGen.Runtime.Tests.Networks;

/// <summary>The MNIST perceptron, declared as a user would, compiled by the real generator.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 42)]
[Input(784)]
public partial class TestMlp
{
    [Dense(128, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dense(10)] public partial Dense Output { get; }
}

/// <summary>A small regression network exercising GELU's saved pre-activation and a non-fused last activation.</summary>
[Network(Loss = Loss.MeanSquaredError, Seed = 3)]
[Input(6)]
public partial class TestRegressor
{
    [Dense(16, Activation.GELU)] public partial Dense Encoder { get; }
    [Dense(2, Activation.Sigmoid)] public partial Dense Head { get; }
}
