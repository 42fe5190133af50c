namespace NetGen;

/// <summary>
/// A lookup table from token ids to vectors, like PyTorch's <c>nn.Embedding(vocabulary, dimension)</c>
/// (state_dict tensor <c>weight [vocabulary, dimension]</c>): it reads the network input, a sequence of
/// token ids <c>[steps]</c> per sample passed as floats, and produces <c>[steps, dimension]</c>, a
/// sequence a recurrent layer reads. An id outside <c>[0, vocabulary)</c> is an error at run time.
/// </summary>
/// <example>
/// <code>
/// [Network(Loss = Loss.SoftmaxCrossEntropy)]
/// [Input(100)]                                           // 100 token ids per sample
/// public partial class Sentiment
/// {
///     [Embedding(20000, 64)] public partial Embedding Embedding { get; }   // [100] → [100, 64]
///     [LSTM(64)] public partial LSTM Recurrent { get; }
///     [Dense(2)] public partial Dense Output { get; }
/// }
/// </code>
/// </example>
public sealed class EmbeddingAttribute : LayerAttribute
{
    /// <summary>Declares a table of <paramref name="vocabulary"/> vectors of <paramref name="dimension"/> values.</summary>
    public EmbeddingAttribute(int vocabulary, int dimension)
    {
        Vocabulary = vocabulary;
        Dimension = dimension;
    }

    /// <summary>The number of token ids (rows of the table).</summary>
    public int Vocabulary { get; }

    /// <summary>The values per token.</summary>
    public int Dimension { get; }

    /// <summary>
    /// The id that marks padding, or -1 (the default) for none: as PyTorch's <c>padding_idx</c>, its row
    /// starts at zero and gets no gradient, so padded positions never move the table.
    /// </summary>
    public int PaddingIndex { get; set; } = -1;
}
