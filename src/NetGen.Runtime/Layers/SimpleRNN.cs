using System;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// An Elman recurrent layer over a sequence <c>x[B, steps, inputs]</c>, as PyTorch's
/// <c>nn.RNN(batch_first=True, nonlinearity='tanh' or 'relu')</c> with one layer:
/// <c>h_t = act(W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh)</c>, <c>weight_ih_l0 [hidden, inputs]</c>,
/// <c>weight_hh_l0 [hidden, hidden]</c>, <c>bias_ih_l0</c> and <c>bias_hh_l0 [hidden]</c>, zero initial
/// state. The output is every <c>h_t</c> (<c>[B, steps, hidden]</c>) or the last one (<c>[B, hidden]</c>);
/// bidirectional and per-sample lengths as <see cref="RecurrentLayer"/> describes.
/// </summary>
public sealed class SimpleRNN : RecurrentLayer
{
    /// <summary>Creates the view of a recurrent layer whose tensors start at <paramref name="offset"/>.</summary>
    /// <param name="name">state_dict prefix, e.g. <c>rnn</c>.</param>
    /// <param name="parameters">The network's flat parameter buffer.</param>
    /// <param name="gradients">The network's flat gradient buffer (same layout); null for a [Frozen] layer, which has none.</param>
    /// <param name="offset">Offset of <c>weight_ih_l0</c>; the other tensors follow it (see <see cref="RecurrentLayer"/>).</param>
    /// <param name="hidden">Hidden state size.</param>
    /// <param name="inputs">Features per step.</param>
    /// <param name="bidirectional">Whether the layer has a reverse direction (<c>…_reverse</c> tensors).</param>
    public SimpleRNN(string name, float[] parameters, float[]? gradients, int offset, int hidden, int inputs, bool bidirectional = false)
        : base(name, parameters, gradients, offset, gates: 1, hidden, inputs, bidirectional)
    {
    }

    /// <summary>
    /// Floats per sample the layer keeps between forward and backward, per direction: every step's
    /// pre-activation slot <c>[steps, hidden]</c> (the projection, then the gradient), every step's hidden
    /// state <c>[steps, hidden]</c>, and one step's scratch (recurrent product and carried <c>dh</c>).
    /// </summary>
    public static int SavedPerSample(int steps, int hidden, bool bidirectional = false) => SavedPerSample(1, extraState: false, carriesExtra: false, steps, hidden, bidirectional);

    /// <summary>
    /// Runs the sequence: the input projection of every step (and direction) is one matrix product
    /// (with <c>b_ih</c> in its epilogue); then per step one product <c>h_{t−1}·W_hhᵀ</c> and one pass
    /// that adds it and <c>b_hh</c> and applies <paramref name="activation"/> (Tanh or ReLU).
    /// <paramref name="lengths"/> as <see cref="LSTM.Forward{T}"/>. Nothing is allocated.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh, Span<T> y, Span<T> saved, int batch, int steps, int inputs, int hidden, bool returnSequences, Activation activation, bool bidirectional = false, ReadOnlySpan<T> lengths = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ForwardLoop(new Cell<T>(activation), x, weightIh, weightHh, biasIh, biasHh, y, saved, batch, steps, inputs, hidden, returnSequences, bidirectional, lengths);

    /// <summary>
    /// Backward through time, with the contract of <see cref="LSTM.Backward{T}"/>: per step
    /// <c>dz = (carried + dy_t) ⊙ act′(h_t)</c> over the saved projection and one product carries
    /// <c>dz·W_hh</c> back; <c>dW_hh</c> (each step's <c>dzᵀ·h_{t−1}</c>), <c>db_hh</c>, <c>dW_ih</c>,
    /// <c>db_ih</c> and <c>dx</c> are then summed over every step. Gradients are overwritten, not accumulated.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, Span<T> saved, Span<T> weightIhGradient, Span<T> weightHhGradient, Span<T> biasIhGradient, Span<T> biasHhGradient, Span<T> dx, int batch, int steps, int inputs, int hidden, bool returnSequences, Activation activation, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool bidirectional = false, ReadOnlySpan<T> lengths = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        BackwardLoop(new Cell<T>(activation), dy, x, weightIh, weightHh, saved, weightIhGradient, weightHhGradient, biasIhGradient, biasHhGradient, dx, batch, steps, inputs, hidden, returnSequences, previousActivation, previousSaved, bidirectional, lengths);

    /// <summary>The Elman step: one gate, no second state.</summary>
    private readonly struct Cell<T>(Activation activation) : IRecurrentCell<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int Gates => 1;

        public bool HasExtraState => false;

        public bool CarriesExtraGradient => false;

        // The projection stays in place (backward overwrites it with dz).
        public void Forward(Span<T> gates, ReadOnlySpan<T> recurrent, ReadOnlySpan<T> biasHh, ReadOnlySpan<T> previousHidden, ReadOnlySpan<T> previousExtra, Span<T> hidden, Span<T> extra)
        {
            for (var j = 0; j < hidden.Length; j++)
            {
                hidden[j] = Activations.Apply(activation, gates[j] + recurrent[j] + biasHh[j]);
            }
        }

        public void Backward(Span<T> gates, Span<T> recurrent, Span<T> dh, Span<T> dExtra, ReadOnlySpan<T> previousHidden, ReadOnlySpan<T> hidden, ReadOnlySpan<T> previousExtra, ReadOnlySpan<T> extra)
        {
            for (var j = 0; j < hidden.Length; j++)
            {
                gates[j] = recurrent[j] = dh[j] * Activations.Derivative(activation, hidden[j]);
                dh[j] = T.Zero;
            }
        }
    }
}
