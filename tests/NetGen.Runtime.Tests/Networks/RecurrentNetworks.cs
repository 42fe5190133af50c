namespace NetGen.Runtime.Tests.Networks;

/// <summary>tests/reference/record_recurrent.py's "last" network: LSTM(7) over 5 steps × 6 features, a Dense over the last step.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5, 6)]
public partial class TorchLstmLast
{
    [LSTM(7)] public partial LSTM Lstm { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>record_lstm.py's "sequences" network: every step's hidden state, flattened, into the Dense.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5, 6)]
public partial class TorchLstmSequences
{
    [LSTM(7, ReturnSequences = true)] public partial LSTM Lstm { get; }

    [Flatten] public partial Flatten Steps { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>record_lstm.py's "stacked" network: an LSTM returning every step into a second LSTM, a Dense over its last step.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5, 6)]
public partial class TorchLstmStacked
{
    [LSTM(5, ReturnSequences = true)] public partial LSTM First { get; }

    [LSTM(4)] public partial LSTM Second { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>MNIST read row by row (28 steps of 28 pixels) by a small LSTM, for the allocation tests.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(28, 28)]
public partial class RowLstm
{
    [LSTM(32)] public partial LSTM Recurrent { get; }

    [Dense(10)] public partial Dense Output { get; }
}

/// <summary>record_recurrent.py's "gru_last" network: GRU(7) over 5 steps × 6 features, a Dense over the last step.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5, 6)]
public partial class TorchGruLast
{
    [GRU(7)] public partial GRU Gru { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>record_recurrent.py's "gru_sequences" network: every step's hidden state, flattened, into the Dense.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5, 6)]
public partial class TorchGruSequences
{
    [GRU(7, ReturnSequences = true)] public partial GRU Gru { get; }

    [Flatten] public partial Flatten Steps { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>record_recurrent.py's "rnn_tanh_last" network: SimpleRNN(7) with tanh, a Dense over the last step.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5, 6)]
public partial class TorchRnnTanhLast
{
    [SimpleRNN(7)] public partial SimpleRNN Rnn { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>record_recurrent.py's "rnn_relu_sequences" network: SimpleRNN(7) with ReLU, every step flattened into the Dense.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5, 6)]
public partial class TorchRnnReluSequences
{
    [SimpleRNN(7, Activation.ReLU, ReturnSequences = true)] public partial SimpleRNN Rnn { get; }

    [Flatten] public partial Flatten Steps { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>record_recurrent.py's "embedding" network: 6 token ids of a vocabulary of 11 → Embedding(11, 4) → LSTM(5) → Dense(3).</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(6)]
public partial class TorchEmbeddingLstm
{
    [Embedding(11, 4)] public partial Embedding Embedding { get; }

    [LSTM(5)] public partial LSTM Lstm { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>record_recurrent.py's "embedding_padded" network: as TorchEmbeddingLstm with id 0 as padding.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(6)]
public partial class TorchEmbeddingPadded
{
    [Embedding(11, 4, PaddingIndex = 0)] public partial Embedding Embedding { get; }

    [LSTM(5)] public partial LSTM Lstm { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>Row-MNIST through a GRU returning every step into a SimpleRNN, for the allocation tests.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(28, 28)]
public partial class RowGruRnn
{
    [GRU(32, ReturnSequences = true)] public partial GRU Gru { get; }

    [SimpleRNN(16, Activation.ReLU)] public partial SimpleRNN Rnn { get; }

    [Dense(10)] public partial Dense Output { get; }
}

/// <summary>Token ids through an Embedding into an LSTM, for the allocation tests.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(20)]
public partial class TokenLstm
{
    [Embedding(10, 8)] public partial Embedding Embedding { get; }

    [LSTM(16)] public partial LSTM Lstm { get; }

    [Dense(10)] public partial Dense Output { get; }
}

/// <summary>record_recurrent.py's "lstm_bidirectional_last" network: a bidirectional LSTM(7), h_n of both directions into the Dense.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5, 6)]
public partial class TorchLstmBidirectionalLast
{
    [LSTM(7, Bidirectional = true)] public partial LSTM Lstm { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>record_recurrent.py's "lstm_bidirectional_sequences" network: every step's [forward, reverse] hidden states, flattened.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5, 6)]
public partial class TorchLstmBidirectionalSequences
{
    [LSTM(7, ReturnSequences = true, Bidirectional = true)] public partial LSTM Lstm { get; }

    [Flatten] public partial Flatten Steps { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>record_recurrent.py's "gru_bidirectional_last" network: a bidirectional GRU(7), h_n of both directions into the Dense.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5, 6)]
public partial class TorchGruBidirectionalLast
{
    [GRU(7, Bidirectional = true)] public partial GRU Gru { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>record_recurrent.py's "rnn_bidirectional_last" network: a bidirectional SimpleRNN(7), h_n of both directions into the Dense.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(5, 6)]
public partial class TorchRnnBidirectionalLast
{
    [SimpleRNN(7, Bidirectional = true)] public partial SimpleRNN Rnn { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>Row-MNIST through a bidirectional LSTM returning every step into a bidirectional GRU, for the allocation tests.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(28, 28)]
public partial class RowBidirectional
{
    [LSTM(16, ReturnSequences = true, Bidirectional = true)] public partial LSTM Lstm { get; }

    [GRU(8, Bidirectional = true)] public partial GRU Gru { get; }

    [Dense(10)] public partial Dense Output { get; }
}

/// <summary>record_recurrent.py's "embedding_masked" network: ids padded with 0 at the end → Embedding → bidirectional LSTM(5) skipping each sample's padding → Dense(3).</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(6)]
public partial class TorchEmbeddingMasked
{
    [Embedding(11, 4, PaddingIndex = 0)] public partial Embedding Embedding { get; }

    [LSTM(5, Bidirectional = true, MaskPadding = true)] public partial LSTM Lstm { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>Token ids padded with 0 through an Embedding into a bidirectional LSTM that skips the padding, for the allocation tests.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(20)]
public partial class TokenMaskedBidirectional
{
    [Embedding(10, 8, PaddingIndex = 0)] public partial Embedding Embedding { get; }

    [LSTM(16, Bidirectional = true, MaskPadding = true)] public partial LSTM Lstm { get; }

    [Dense(10)] public partial Dense Output { get; }
}

/// <summary>record_recurrent.py's "embedding_masked_stacked" network: ids padded with 0 at the end → Embedding → two bidirectional LSTM(5) layers, both skipping each sample's padding → Dense(3) over the top layer's h_n.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(6)]
public partial class TorchEmbeddingMaskedStack
{
    [Embedding(11, 4, PaddingIndex = 0)] public partial Embedding Embedding { get; }

    [LSTM(5, NumLayers = 2, Bidirectional = true, MaskPadding = true)] public partial LSTM Lstm { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>record_recurrent.py's "embedding_masked_stacked_sequences" network: as <see cref="TorchEmbeddingMaskedStack"/>, the top layer returning every step (zero at padded steps), flattened into Dense(3).</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(6)]
public partial class TorchEmbeddingMaskedStackSequences
{
    [Embedding(11, 4, PaddingIndex = 0)] public partial Embedding Embedding { get; }

    [LSTM(5, NumLayers = 2, Bidirectional = true, MaskPadding = true, ReturnSequences = true)] public partial LSTM Lstm { get; }

    [Flatten] public partial Flatten Flatten { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>
/// Token ids padded with 0 through an Embedding into masked recurrent layers stacked every way, for the allocation tests: an LSTM
/// returning every step, a Dropout and a per-step Dense (which keep the padding), then a bidirectional two-layer GRU with dropout between.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(20)]
public partial class TokenMaskedStack
{
    [Embedding(10, 8, PaddingIndex = 0)] public partial Embedding Embedding { get; }

    [LSTM(12, ReturnSequences = true, MaskPadding = true)] public partial LSTM Lstm { get; }

    [Dropout(0.2)] public partial Dropout Dropout { get; }

    [Dense(6, Activation.Tanh, PerStep = true)] public partial Dense Step { get; }

    [GRU(8, NumLayers = 2, Dropout = 0.25, Bidirectional = true, MaskPadding = true)] public partial GRU Gru { get; }

    [Dense(10)] public partial Dense Output { get; }
}
