namespace NetGen.Runtime.Tests.Networks;

/// <summary>tests/reference/record_sequence_heads.py's "lstm_per_step_mean": LSTM(7) every step → Dense(4, Tanh) per step → mean over steps → Dense(3).</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5, 6)]
public partial class TorchLstmPerStepMean
{
    [LSTM(7, ReturnSequences = true)] public partial LSTM Lstm { get; }

    [Dense(4, Activation.Tanh, PerStep = true)] public partial Dense PerStep { get; }

    [GlobalAveragePool1D] public partial GlobalAveragePool1D Mean { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}
