namespace NetGen.Runtime.Tests.Networks;

/// <summary>record_masked_mean.py's network: ids padded with 0 at the end → Embedding → LSTM(5) over every step, skipping each sample's padding → the mean over its real steps → Dense(3).</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(6)]
public partial class TorchEmbeddingMaskedMean
{
    [Embedding(11, 4, PaddingIndex = 0)] public partial Embedding Embedding { get; }

    [LSTM(5, ReturnSequences = true, MaskPadding = true)] public partial LSTM Lstm { get; }

    [GlobalAveragePool1D(MaskPadding = true)] public partial GlobalAveragePool1D Mean { get; }

    [Dense(3)] public partial Dense Classifier { get; }
}

/// <summary>Ids padded with 0 → Embedding → a tanh Dense on each step → the mean over each sample's real steps → Dense(3): a masked mean with no recurrent layer below it.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(7)]
public partial class TokenPerStepMaskedMean
{
    [Embedding(10, 5, PaddingIndex = 0)] public partial Embedding Embedding { get; }

    [Dense(4, Activation.Tanh, PerStep = true)] public partial Dense PerStep { get; }

    [GlobalAveragePool1D(MaskPadding = true)] public partial GlobalAveragePool1D Mean { get; }

    [Dense(3)] public partial Dense Output { get; }
}

/// <summary><see cref="TokenPerStepMaskedMean"/> over 3 ids with a plain mean: what the masked one must give for a sample of 3 real ids.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy)]
[Input(3)]
public partial class TokenPerStepMeanOfThree
{
    [Embedding(10, 5, PaddingIndex = 0)] public partial Embedding Embedding { get; }

    [Dense(4, Activation.Tanh, PerStep = true)] public partial Dense PerStep { get; }

    [GlobalAveragePool1D] public partial GlobalAveragePool1D Mean { get; }

    [Dense(3)] public partial Dense Output { get; }
}
