namespace NetGen.Samples.Mnist;

/// <summary>The classic 784-128-10 perceptron: one hidden ReLU layer, softmax cross-entropy.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 42)]
[Input(784)]
public partial class MnistMlp
{
    [Dense(128, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dense(10)]                   public partial Dense Output { get; }
}
