namespace NetGen.Runtime.Tests.Networks;

/// <summary>Dropout, BatchNorm and a frozen layer together, compiled by the real generator.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 11)]
[Input(6)]
public partial class RegularisedMlp
{
    [Dense(8, Activation.ReLU)] public partial Dense Hidden { get; }
    [Frozen, Dense(8)] public partial Dense Middle { get; }
    [BatchNorm(Activation.ReLU)] public partial BatchNorm Norm { get; }
    [Dropout(0.25)] public partial Dropout Drop { get; }
    [Dense(3)] public partial Dense Output { get; }
}

/// <summary>The same dense layers without dropout: same seed, so the same parameters as <see cref="DroppedMlp"/>.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 2)]
[Input(5)]
public partial class PlainMlp
{
    [Dense(7, Activation.Tanh)] public partial Dense Hidden { get; }
    [Dense(3)] public partial Dense Output { get; }
}

/// <summary><see cref="PlainMlp"/> trained against smoothed labels: same seed, so the same parameters.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 2, LabelSmoothing = 0.2)]
[Input(5)]
public partial class SmoothedMlp
{
    [Dense(7, Activation.Tanh)] public partial Dense Hidden { get; }
    [Dense(3)] public partial Dense Output { get; }
}

/// <summary><see cref="PlainMlp"/> with dropout between its layers.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 2)]
[Input(5)]
public partial class DroppedMlp
{
    [Dense(7, Activation.Tanh)] public partial Dense Hidden { get; }
    [Dropout(0.5)] public partial Dropout Drop { get; }
    [Dense(3)] public partial Dense Output { get; }
}
