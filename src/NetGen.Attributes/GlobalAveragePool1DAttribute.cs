namespace NetGen;

/// <summary>
/// The mean over time of each feature of a sequence: <c>[steps, features]</c> becomes <c>[features]</c>,
/// like Keras' <c>GlobalAveragePooling1D</c> or PyTorch's <c>x.mean(dim=1)</c> on a batch-first sequence.
/// A classification head that reads every step of a recurrent layer (<c>ReturnSequences = true</c>)
/// instead of only the last.
/// </summary>
/// <example>
/// <code>
/// [LSTM(64, ReturnSequences = true)] public partial LSTM Recurrent { get; }   // [100, 64]
/// [GlobalAveragePool1D] public partial GlobalAveragePool1D Mean { get; }       // [64]
/// [Dense(2)] public partial Dense Output { get; }
/// </code>
/// </example>
public sealed class GlobalAveragePool1DAttribute : LayerAttribute
{
    /// <summary>
    /// Whether the mean skips each sample's padding, for a batch of token-id sequences padded at the end
    /// (Keras' masked <c>GlobalAveragePooling1D</c>): the layer must read the padding of an
    /// <c>[Embedding(…, PaddingIndex = p)]</c>, directly or through layers that keep its steps (a Dropout, a
    /// Dense with <c>PerStep</c>, a recurrent layer with <c>ReturnSequences</c> and <c>MaskPadding</c>), else
    /// NG0120. Each sample's length is one past its last id other than <c>p</c>; the mean is over its steps
    /// before that, and its padded steps get no gradient, so the padding changes neither the output nor any
    /// gradient. Without it every step counts, as PyTorch's <c>output.mean(dim=1)</c> does on a padded output.
    /// A sample of padding only throws, naming the layer.
    /// </summary>
    public bool MaskPadding { get; set; }
}
