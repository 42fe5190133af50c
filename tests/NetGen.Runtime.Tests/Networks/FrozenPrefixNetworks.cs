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
