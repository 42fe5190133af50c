namespace NetGen;

/// <summary>
/// An Elman recurrent layer over a sequence <c>[steps, features]</c> per sample, like PyTorch's
/// <c>nn.RNN(features, hidden, batch_first=True, nonlinearity=…)</c> with one layer and a zero initial
/// state: <c>h_t = activation(W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh)</c>, state_dict tensors
/// <c>weight_ih_l0 [hidden, features]</c>, <c>weight_hh_l0 [hidden, hidden]</c>, <c>bias_ih_l0</c> and
/// <c>bias_hh_l0 [hidden]</c>. A network input of rank 2 is a sequence.
/// </summary>
/// <example>
/// <code>
/// [SimpleRNN(64, Activation.ReLU, ReturnSequences = true)] public partial SimpleRNN Recurrent { get; }
/// </code>
/// </example>
public sealed class SimpleRNNAttribute : RecurrentLayerAttribute
{
    /// <summary>Declares a recurrent layer with a hidden state of <paramref name="hidden"/> values and <paramref name="activation"/> (Tanh or ReLU).</summary>
    public SimpleRNNAttribute(int hidden, Activation activation = Activation.Tanh)
    {
        Hidden = hidden;
        Activation = activation;
    }

    /// <summary>The size of the hidden state, and of the output per step.</summary>
    public int Hidden { get; }

    /// <summary>The nonlinearity: Tanh (the default) or ReLU, PyTorch's two choices.</summary>
    public Activation Activation { get; }

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
