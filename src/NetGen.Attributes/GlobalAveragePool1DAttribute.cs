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
}
