using System;
using System.Numerics;

namespace NetGen;

/// <summary>
/// A long short-term memory layer over a sequence <c>x[B, steps, inputs]</c>, as PyTorch's
/// <c>nn.LSTM(batch_first=True)</c> with one layer: gates in PyTorch's order <c>i, f, g, o</c>,
/// <c>weight_ih_l0 [4·hidden, inputs]</c>, <c>weight_hh_l0 [4·hidden, hidden]</c>,
/// <c>bias_ih_l0</c> and <c>bias_hh_l0 [4·hidden]</c>, zero initial state. Per step
/// <c>z = W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh</c>, <c>c_t = σ(z_f)⊙c_{t−1} + σ(z_i)⊙tanh(z_g)</c>,
/// <c>h_t = σ(z_o)⊙tanh(c_t)</c>. The output is every <c>h_t</c> (<c>[B, steps, hidden]</c>) or the
/// last one (<c>[B, hidden]</c>); bidirectional and per-sample lengths as <see cref="RecurrentLayer"/>
/// describes. The instance is a view of the layer's parameters; the static
/// <see cref="Forward{T}"/> / <see cref="Backward{T}"/> pair is the numerics the generated code calls.
/// </summary>
public sealed class LSTM : RecurrentLayer
{
    /// <summary>Creates the view of an LSTM layer whose tensors start at <paramref name="offset"/>.</summary>
    /// <param name="name">state_dict prefix, e.g. <c>lstm</c>.</param>
    /// <param name="parameters">The network's flat parameter buffer.</param>
    /// <param name="gradients">The network's flat gradient buffer (same layout); null for a [Frozen] layer, which has none.</param>
    /// <param name="offset">Offset of <c>weight_ih_l0</c>; the other tensors follow it (see <see cref="RecurrentLayer"/>).</param>
    /// <param name="hidden">Hidden (and cell) state size.</param>
    /// <param name="inputs">Features per step.</param>
    /// <param name="bidirectional">Whether the layer has a reverse direction (<c>…_reverse</c> tensors).</param>
    public LSTM(string name, float[] parameters, float[]? gradients, int offset, int hidden, int inputs, bool bidirectional = false)
        : base(name, parameters, gradients, offset, gates: 4, hidden, inputs, bidirectional)
    {
    }

    /// <summary>
    /// Floats per sample the layer keeps between forward and backward, per direction: every step's
    /// activated gates <c>[steps, 4·hidden]</c>, cell and hidden states <c>[steps, hidden]</c> each, and one
    /// step's scratch (recurrent product <c>[4·hidden]</c>, carried <c>dh</c> and <c>dc</c>).
    /// </summary>
    public static int SavedPerSample(int steps, int hidden, bool bidirectional = false) => SavedPerSample(4, extraState: true, carriesExtra: true, steps, hidden, bidirectional);

    /// <summary>
    /// Runs the sequence: the input projection of every step (and direction) is one matrix product
    /// (with <c>b_ih</c> in its epilogue); then per step one product <c>h_{t−1}·W_hhᵀ</c> and one fused
    /// pass that adds it and <c>b_hh</c>, applies the gate nonlinearities and updates the cell and hidden
    /// states. <paramref name="saved"/> (<see cref="SavedPerSample"/> × batch floats) keeps what
    /// <see cref="Backward{T}"/> reads. <paramref name="lengths"/> (one per sample, empty for all
    /// <paramref name="steps"/>) must lie in 1…steps. Nothing is allocated.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh, Span<T> y, Span<T> saved, int batch, int steps, int inputs, int hidden, bool returnSequences, bool bidirectional = false, ReadOnlySpan<T> lengths = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ForwardLoop(default(Cell<T>), x, weightIh, weightHh, biasIh, biasHh, y, saved, batch, steps, inputs, hidden, returnSequences, bidirectional, lengths);

    /// <summary>
    /// Backward through time. <paramref name="dy"/> is the gradient of the output (every step's
    /// <c>h_t</c>, or the last one). Writes the four parameter gradients (both directions' when
    /// bidirectional) and, when <paramref name="dx"/> is not empty, the gradient with respect to the
    /// producer's pre-activation (<c>dx = dz·W_ih ⊙ act′(previousSaved)</c>, the derivative fused into
    /// the product). Per step one fused pass turns <c>dh</c>, <c>dc</c> into the gate gradients <c>dz</c>,
    /// one product adds <c>dzᵀ·h_{t−1}</c> to <c>dW_hh</c> and one carries <c>dh = dz·W_hh</c> back;
    /// <c>dW_ih</c>, <c>db_ih</c> and <c>dx</c> are then one product (or sum) over every step. The gate
    /// gradients overwrite the saved gates. Gradients are overwritten, not accumulated.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, Span<T> saved, Span<T> weightIhGradient, Span<T> weightHhGradient, Span<T> biasIhGradient, Span<T> biasHhGradient, Span<T> dx, int batch, int steps, int inputs, int hidden, bool returnSequences, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool bidirectional = false, ReadOnlySpan<T> lengths = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        BackwardLoop(default(Cell<T>), dy, x, weightIh, weightHh, saved, weightIhGradient, weightHhGradient, biasIhGradient, biasHhGradient, dx, batch, steps, inputs, hidden, returnSequences, previousActivation, previousSaved, bidirectional, lengths);

    /// <summary>The LSTM step; its second state is the cell state <c>c</c>, its second carried gradient <c>dc</c>.</summary>
    private readonly struct Cell<T> : IRecurrentCell<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int Gates => 4;

        public bool HasExtraState => true;

        public bool CarriesExtraGradient => true;

        // z = projection (with b_ih) + recurrent product + b_hh, activated in place (i, f, o by σ, g by
        // tanh); then c_t and h_t.
        public void Forward(Span<T> gates, ReadOnlySpan<T> recurrent, ReadOnlySpan<T> biasHh, ReadOnlySpan<T> previousHidden, ReadOnlySpan<T> previousExtra, Span<T> hidden, Span<T> extra)
        {
            var size = hidden.Length;
            for (var j = 0; j < size; j++)
            {
                var i = Sigmoid(gates[j] + recurrent[j] + biasHh[j]);
                var f = Sigmoid(gates[size + j] + recurrent[size + j] + biasHh[size + j]);
                var g = T.Tanh(gates[(2 * size) + j] + recurrent[(2 * size) + j] + biasHh[(2 * size) + j]);
                var o = Sigmoid(gates[(3 * size) + j] + recurrent[(3 * size) + j] + biasHh[(3 * size) + j]);
                var c = (i * g) + (previousExtra.IsEmpty ? T.Zero : f * previousExtra[j]);
                (gates[j], gates[size + j], gates[(2 * size) + j], gates[(3 * size) + j]) = (i, f, g, o);
                extra[j] = c;
                hidden[j] = o * T.Tanh(c);
            }
        }

        // do = dh·tanh(c); dc = carried + dh·o·(1 − tanh²c); di = dc·g, df = dc·c_{t−1}, dg = dc·i; each
        // times its nonlinearity's derivative gives dz (both sides alike); dc·f is carried to t − 1.
        public void Backward(Span<T> gates, Span<T> recurrent, Span<T> dh, Span<T> dExtra, ReadOnlySpan<T> previousHidden, ReadOnlySpan<T> hidden, ReadOnlySpan<T> previousExtra, ReadOnlySpan<T> extra)
        {
            var size = hidden.Length;
            for (var j = 0; j < size; j++)
            {
                T i = gates[j], f = gates[size + j], g = gates[(2 * size) + j], o = gates[(3 * size) + j];
                var tanhC = T.Tanh(extra[j]);
                var dc = dExtra[j] + (dh[j] * o * (T.One - (tanhC * tanhC)));
                var previousCell = previousExtra.IsEmpty ? T.Zero : previousExtra[j];
                recurrent[j] = dc * g * i * (T.One - i);
                recurrent[size + j] = dc * previousCell * f * (T.One - f);
                recurrent[(2 * size) + j] = dc * i * (T.One - (g * g));
                recurrent[(3 * size) + j] = dh[j] * tanhC * o * (T.One - o);
                dExtra[j] = dc * f;
                dh[j] = T.Zero;
            }

            recurrent.CopyTo(gates);
        }
    }
}
