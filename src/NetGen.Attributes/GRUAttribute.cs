namespace NetGen;

/// <summary>
/// A gated recurrent unit layer over a sequence <c>[steps, features]</c> per sample, like PyTorch's
/// <c>nn.GRU(features, hidden, batch_first=True)</c> with one layer and a zero initial state: gates in
/// PyTorch's order <c>r, z, n</c>, the reset gate applied to <c>W_hn·h + b_hn</c> as PyTorch does;
/// state_dict tensors <c>weight_ih_l0 [3·hidden, features]</c>, <c>weight_hh_l0 [3·hidden, hidden]</c>,
/// <c>bias_ih_l0</c> and <c>bias_hh_l0 [3·hidden]</c>. A network input of rank 2 is a sequence.
/// </summary>
/// <example>
/// <code>
/// [Network(Loss = Loss.MeanSquaredError)]
/// [Input(5, 1)]
/// public partial class NextValue
/// {
///     [GRU(32)] public partial GRU Recurrent { get; }   // [5, 1] → [32], the last step's h
///     [Dense(1)] public partial Dense Output { get; }
/// }
/// </code>
/// </example>
public sealed class GRUAttribute : RecurrentLayerAttribute
{
    /// <summary>Declares a GRU with a hidden state of <paramref name="hidden"/> values.</summary>
    public GRUAttribute(int hidden) => Hidden = hidden;

    /// <summary>The size of the hidden state, and of the output per step.</summary>
    public int Hidden { get; }

    /// <summary>
    /// Whether the output is every step's hidden state, <c>[steps, hidden]</c> (for another recurrent
    /// layer), or only the last step's, <c>[hidden]</c> (the default, for a Dense head).
    /// </summary>
    public bool ReturnSequences { get; set; }
}
