namespace NetGen.Samples.Sequences;

/// <summary>
/// A character-level language model (Chollet's, with an Embedding in place of one-hot inputs): the
/// ids of the <see cref="Window"/> characters before a position → Embedding 32 → LSTM 128 → Dense
/// logits over the <see cref="Vocabulary"/> ids, trained with softmax cross-entropy on the next character.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 11)]
[Input(Window, Kind = InputKind.Tokens, Vocabulary = Vocabulary)]
public partial class CharacterLstm
{
    /// <summary>Characters read per prediction.</summary>
    public const int Window = 40;

    /// <summary>Ids the model knows: padding, unknown and the 94 most frequent characters of the fortunes, which leave 31 of their 818,000 unknown.</summary>
    public const int Vocabulary = 96;

    [Embedding(Vocabulary, 32)] public partial Embedding Embedding { get; }
    [LSTM(128)] public partial LSTM Recurrent { get; }
    [Dense(Vocabulary)] public partial Dense Next { get; }
}
