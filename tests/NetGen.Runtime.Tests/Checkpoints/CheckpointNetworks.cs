namespace NetGen.Runtime.Tests.Checkpoints;

/// <summary>A small classifier whose checkpoint is a few hundred bytes, so tests can craft headers by hand.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 5)]
[Input(4)]
public partial class TinyClassifier
{
    [Dense(3, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dense(2)] public partial Dense Output { get; }
}

/// <summary>TinyClassifier with a wider head: the same names, one shape different.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 6)]
[Input(4)]
public partial class TinyClassifierWideHead
{
    [Dense(3, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dense(5)] public partial Dense Output { get; }
}
