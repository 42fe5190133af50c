namespace NetGen.Runtime.Tests.Training;

/// <summary>A 3-class classifier over 4 features, small enough to train in milliseconds.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 21)]
[Input(4)]
public partial class BlobClassifier
{
    [Dense(8, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dense(3)] public partial Dense Output { get; }
}

/// <summary>A binary classifier whose last layer ends in Sigmoid: its outputs are probabilities.</summary>
[Network(Loss = Loss.BinaryCrossEntropy, Seed = 22)]
[Input(4)]
public partial class SigmoidBinary
{
    [Dense(8, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dense(1, Activation.Sigmoid)] public partial Dense Output { get; }
}

/// <summary>A binary classifier with a linear last layer: its outputs are logits.</summary>
[Network(Loss = Loss.BinaryCrossEntropy, Seed = 23)]
[Input(4)]
public partial class LogitBinary
{
    [Dense(8, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dense(1)] public partial Dense Output { get; }
}
