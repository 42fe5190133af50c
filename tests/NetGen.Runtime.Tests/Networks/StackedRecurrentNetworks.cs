namespace NetGen.Runtime.Tests.Networks;

/// <summary>tests/reference/record_stacked.py's "lstm_two_layers": nn.LSTM(6, 7, num_layers=2) over 5 steps, a Dense over the last step.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5, 6)]
public partial class TorchLstmTwoLayers
{
    [LSTM(7, NumLayers = 2)] public partial LSTM Lstm { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>record_stacked.py's "gru_two_layers_sequences": nn.GRU(6, 7, num_layers=2), every step of the top layer flattened into the Dense.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5, 6)]
public partial class TorchGruTwoLayersSequences
{
    [GRU(7, NumLayers = 2, ReturnSequences = true)] public partial GRU Gru { get; }

    [Flatten] public partial Flatten Steps { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>record_stacked.py's "lstm_two_layers_bidirectional": nn.LSTM(6, 7, num_layers=2, bidirectional=True), the top layer's h_n of both directions into the Dense.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5, 6)]
public partial class TorchLstmTwoLayersBidirectional
{
    [LSTM(7, NumLayers = 2, Bidirectional = true)] public partial LSTM Lstm { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>Three stacked SimpleRNN layers with dropout between them, for the freezing, dropout and allocation tests.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 7)]
[Input(5, 6)]
public partial class RnnThreeLayersDropout
{
    [SimpleRNN(4, NumLayers = 3, Dropout = 0.5)] public partial SimpleRNN Rnn { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}
