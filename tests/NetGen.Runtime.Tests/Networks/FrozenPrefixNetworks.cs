namespace NetGen.Runtime.Tests.Networks;

/// <summary>A frozen backbone (Dense, BatchNorm, Dropout before the first trainable layer) under a trainable head.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 5)]
[Input(6)]
public partial class FrozenBackboneMlp
{
    [Frozen, Dense(8, Activation.ReLU)] public partial Dense Hidden { get; }
    [Frozen, BatchNorm(Activation.ReLU)] public partial BatchNorm Norm { get; }
    [Dropout(0.5)] public partial Dropout Drop { get; }
    [Dense(3)] public partial Dense Output { get; }
}

/// <summary><see cref="FrozenBackboneMlp"/> without [Frozen]: same seed, so the same parameters.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 5)]
[Input(6)]
public partial class TrainableBackboneMlp
{
    [Dense(8, Activation.ReLU)] public partial Dense Hidden { get; }
    [BatchNorm(Activation.ReLU)] public partial BatchNorm Norm { get; }
    [Dropout(0.5)] public partial Dropout Drop { get; }
    [Dense(3)] public partial Dense Output { get; }
}

/// <summary>A frozen convolutional backbone under a head with its own dropout: the frozen features are the flattened pool output.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 7)]
[Input(1, 12, 12)]
public partial class FrozenConvBackbone
{
    [Frozen, Conv2D(8, 3, Activation.ReLU)] public partial Conv2D Conv1 { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool1 { get; }
    [Frozen, Conv2D(16, 3, Activation.ReLU)] public partial Conv2D Conv2 { get; }
    [Flatten] public partial Flatten Features { get; }
    [Dense(16, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dropout(0.3)] public partial Dropout Drop { get; }
    [Dense(3)] public partial Dense Output { get; }
}
