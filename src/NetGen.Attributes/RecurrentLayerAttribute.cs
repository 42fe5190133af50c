namespace NetGen;

/// <summary>
/// What <see cref="LSTMAttribute"/>, <see cref="GRUAttribute"/> and <see cref="SimpleRNNAttribute"/> take
/// beyond their cell: PyTorch's <c>num_layers</c> and <c>dropout</c>. A stack is still one layer, one
/// property and one state_dict prefix: <c>[LSTM(64, NumLayers = 2)] LSTM Lstm</c> has <c>lstm.weight_ih_l0
/// [256, features]</c>, …, <c>lstm.weight_ih_l1 [256, 64]</c>, …, exactly as <c>nn.LSTM(features, 64,
/// num_layers=2)</c>, so its state_dict maps one to one.
/// </summary>
/// <example>
/// <code>
/// [LSTM(64, NumLayers = 2, Dropout = 0.2)] public partial LSTM Lstm { get; }   // [steps, features] → [64]
/// </code>
/// </example>
public abstract class RecurrentLayerAttribute : LayerAttribute
{
    /// <summary>
    /// How many recurrent layers are stacked (1 by default): layer <c>l &gt; 0</c> reads every step of
    /// layer <c>l − 1</c>, and only the last layer's output follows <c>ReturnSequences</c>. The property's
    /// view shows the last layer's tensors; <c>ParameterLayout</c> lists every layer's.
    /// </summary>
    public int NumLayers { get; set; } = 1;

    /// <summary>
    /// The dropout rate applied in training to each layer's output sequence but the last's, in [0, 1)
    /// (0 by default), as PyTorch's <c>dropout</c>; only meaningful with <see cref="NumLayers"/> ≥ 2.
    /// </summary>
    public double Dropout { get; set; }
}
