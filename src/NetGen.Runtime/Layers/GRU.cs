using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace NetGen;

/// <summary>
/// A gated recurrent unit layer over a sequence <c>x[B, steps, inputs]</c>, as PyTorch's
/// <c>nn.GRU(batch_first=True)</c> with one layer: gates in PyTorch's order <c>r, z, n</c>,
/// <c>weight_ih_l0 [3·hidden, inputs]</c>, <c>weight_hh_l0 [3·hidden, hidden]</c>, <c>bias_ih_l0</c>
/// and <c>bias_hh_l0 [3·hidden]</c>, zero initial state. Per step <c>r = σ(W_ir·x + b_ir + W_hr·h + b_hr)</c>,
/// <c>z = σ(W_iz·x + b_iz + W_hz·h + b_hz)</c>, <c>n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn))</c> (the
/// reset gate applied to the recurrent term with its bias, as PyTorch does), <c>h' = (1 − z) ⊙ n + z ⊙ h</c>.
/// The output is every <c>h_t</c> (<c>[B, steps, hidden]</c>) or the last one (<c>[B, hidden]</c>);
/// bidirectional and per-sample lengths as <see cref="RecurrentLayer"/> describes.
/// </summary>
public sealed class GRU : RecurrentLayer
{
    /// <summary>Creates the view of a GRU layer whose tensors start at <paramref name="offset"/>.</summary>
    /// <param name="name">state_dict prefix, e.g. <c>gru</c>.</param>
    /// <param name="parameters">The network's flat parameter buffer.</param>
    /// <param name="gradients">The network's flat gradient buffer (same layout); null for a [Frozen] layer, which has none.</param>
    /// <param name="offset">Offset of <c>weight_ih_l0</c>; the other tensors follow it (see <see cref="RecurrentLayer"/>).</param>
    /// <param name="hidden">Hidden state size.</param>
    /// <param name="inputs">Features per step.</param>
    /// <param name="bidirectional">Whether the layer has a reverse direction (<c>…_reverse</c> tensors).</param>
    public GRU(string name, float[] parameters, float[]? gradients, int offset, int hidden, int inputs, bool bidirectional = false)
        : base(name, parameters, gradients, offset, gates: 3, hidden, inputs, bidirectional)
    {
    }

    /// <summary>
    /// Floats per sample the layer keeps between forward and backward, per direction: every step's gates
    /// <c>r, z, n</c> <c>[steps, 3·hidden]</c>, its recurrent candidate term <c>W_hn·h + b_hn</c> and hidden
    /// state <c>[steps, hidden]</c> each, and one step's scratch (recurrent product <c>[3·hidden]</c>, carried <c>dh</c>).
    /// </summary>
    public static int SavedPerSample(int steps, int hidden, bool bidirectional = false) => SavedPerSample(3, extraState: true, carriesExtra: false, steps, hidden, bidirectional);

    /// <summary>
    /// Runs the sequence: the input projection of every step (and direction) is one matrix product
    /// (with <c>b_ih</c> in its epilogue); then per step one product <c>h_{t−1}·W_hhᵀ</c> and one fused
    /// pass that adds <c>b_hh</c>, applies the gates and updates the hidden state. <paramref name="lengths"/>
    /// as <see cref="LSTM.Forward{T}"/>. Nothing is allocated.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh, Span<T> y, Span<T> saved, int batch, int steps, int inputs, int hidden, bool returnSequences, bool bidirectional = false, ReadOnlySpan<T> lengths = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ForwardLoop(default(Cell<T>), x, weightIh, weightHh, biasIh, biasHh, y, saved, batch, steps, inputs, hidden, returnSequences, bidirectional, lengths);

    /// <summary>
    /// Backward through time, with the contract of <see cref="LSTM.Backward{T}"/>: per step one fused
    /// pass gives the gradients of the input and recurrent pre-activations (they differ in the
    /// candidate's part, which the reset gate scales on the recurrent side) and one product carries
    /// <c>dh</c> back; <c>dW_hh</c>, <c>db_hh</c>, <c>dW_ih</c>, <c>db_ih</c> and <c>dx</c> are then summed
    /// over every step. Gradients are overwritten, not accumulated.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, Span<T> saved, Span<T> weightIhGradient, Span<T> weightHhGradient, Span<T> biasIhGradient, Span<T> biasHhGradient, Span<T> dx, int batch, int steps, int inputs, int hidden, bool returnSequences, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool bidirectional = false, ReadOnlySpan<T> lengths = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        BackwardLoop(default(Cell<T>), dy, x, weightIh, weightHh, saved, weightIhGradient, weightHhGradient, biasIhGradient, biasHhGradient, dx, batch, steps, inputs, hidden, returnSequences, previousActivation, previousSaved, bidirectional, lengths);

    /// <summary>The GRU step; its second state is the candidate's recurrent term <c>W_hn·h + b_hn</c> (its gradient and r's need it).</summary>
    private readonly struct Cell<T> : IRecurrentCell<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int Gates => 3;

        public bool HasExtraState => true;

        public bool CarriesExtraGradient => false;

        // r, z from the projection + recurrent product + b_hh; n, then h_t = n + z·(h_{t−1} − n). Gates
        // overwrite the projection. Whole-row span operations, so σ and tanh run SIMD (as the LSTM's).
        public void Forward(Span<T> gates, ReadOnlySpan<T> recurrent, ReadOnlySpan<T> biasHh, ReadOnlySpan<T> previousHidden, ReadOnlySpan<T> previousExtra, Span<T> hidden, Span<T> extra)
        {
            var size = hidden.Length;
            Span<T> resetAndUpdate = gates[..(2 * size)], z = gates.Slice(size, size), n = gates.Slice(2 * size, size);
            TensorPrimitives.Add(resetAndUpdate, recurrent[..(2 * size)], resetAndUpdate);
            TensorPrimitives.Add(resetAndUpdate, biasHh[..(2 * size)], resetAndUpdate);
            TensorPrimitives.Sigmoid(resetAndUpdate, resetAndUpdate);
            TensorPrimitives.Add(recurrent.Slice(2 * size, size), biasHh.Slice(2 * size, size), extra);
            TensorPrimitives.FusedMultiplyAdd(gates[..size], extra, n, n);
            TensorPrimitives.Tanh(n, n);
            if (previousHidden.IsEmpty)
            {
                TensorPrimitives.Multiply(z, n, hidden);
                TensorPrimitives.Subtract(n, hidden, hidden);
            }
            else
            {
                TensorPrimitives.Subtract(previousHidden, n, hidden);
                TensorPrimitives.FusedMultiplyAdd(z, hidden, n, hidden);
            }
        }

        // dn = dh·(1 − z) → a = dn·(1 − n²); dz = dh·(h_{t−1} − n)·z(1 − z); dr = a·(W_hn·h + b_hn)·r(1 − r).
        // Input side [dr, dz, a] over the saved gates; recurrent side [dr, dz, a·r]; dh·z bypasses W_hh.
        public void Backward(Span<T> gates, Span<T> recurrent, Span<T> dh, Span<T> dExtra, ReadOnlySpan<T> previousHidden, ReadOnlySpan<T> hidden, ReadOnlySpan<T> previousExtra, ReadOnlySpan<T> extra)
        {
            var size = hidden.Length;
            for (var j = 0; j < size; j++)
            {
                T r = gates[j], z = gates[size + j], n = gates[(2 * size) + j];
                var previous = previousHidden.IsEmpty ? T.Zero : previousHidden[j];
                var a = dh[j] * (T.One - z) * (T.One - (n * n));
                var dz = dh[j] * (previous - n) * z * (T.One - z);
                var dr = a * extra[j] * r * (T.One - r);
                (gates[j], gates[size + j], gates[(2 * size) + j]) = (dr, dz, a);
                (recurrent[j], recurrent[size + j], recurrent[(2 * size) + j]) = (dr, dz, a * r);
                dh[j] *= z;
            }
        }
    }
}
