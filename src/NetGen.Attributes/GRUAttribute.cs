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

    /// <summary>
    /// Whether a second pass reads the sequence backwards, PyTorch's <c>bidirectional=True</c>: its own
    /// tensors (<c>weight_ih_l0_reverse</c>, <c>weight_hh_l0_reverse</c>, <c>bias_ih_l0_reverse</c>,
    /// <c>bias_hh_l0_reverse</c>) and each output twice as wide: every step's <c>[forward, reverse]</c>
    /// hidden states (PyTorch's <c>output</c>) with <see cref="ReturnSequences"/>, else the forward
    /// direction's state after the last step beside the reverse direction's after step 0 (PyTorch's
    /// <c>h_n</c> of the two directions concatenated, <c>torch.cat([h_n[0], h_n[1]], 1)</c>, which is not
    /// <c>output[:, -1]</c>).
    /// </summary>
    public bool Bidirectional { get; set; }

    /// <summary>
    /// Whether the layer skips each sample's padding, for a batch of token-id sequences padded at the end:
    /// the layer must read an <c>[Embedding(…, PaddingIndex = p)]</c> directly (else NG0120), and each
    /// sample's length is one past its last id other than <c>p</c>. Steps from there on change neither the
    /// state nor any gradient, their outputs are zero, the last-step output is the state after the
    /// sample's last real step and the reverse direction starts there: PyTorch's
    /// <c>pack_padded_sequence</c> with those lengths. A sample of padding only throws, naming the layer.
    /// </summary>
    public bool MaskPadding { get; set; }
}
