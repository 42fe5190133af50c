using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
    /// the product). Per step one fused pass turns <c>dh</c>, <c>dc</c> into the gate gradients <c>dz</c>
    /// and one product carries <c>dh = dz·W_hh</c> back; each step's <c>dzᵀ·h_{t−1}</c> is added to <c>dW_hh</c>
    /// (as the loop goes on one thread, after it when the batch is split over threads); <c>dW_ih</c>,
    /// <c>db_ih</c> and <c>dx</c> are then one product (or sum) over every step. The gate
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
        // tanh); then c_t and h_t. Whole-row span operations: the transcendental functions run SIMD (the
        // scalar loop spent two thirds of a batch-64 forward pass in Exp and Tanh). Float on AVX-512 takes one
        // pass instead, with its own exponential (LstmCellFloat).
        public void Forward(Span<T> gates, ReadOnlySpan<T> recurrent, ReadOnlySpan<T> biasHh, ReadOnlySpan<T> previousHidden, ReadOnlySpan<T> previousExtra, Span<T> hidden, Span<T> extra)
        {
            if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated)
            {
                LstmCellFloat.Forward(MemoryMarshal.Cast<T, float>(gates), MemoryMarshal.Cast<T, float>(recurrent), MemoryMarshal.Cast<T, float>(biasHh), MemoryMarshal.Cast<T, float>(previousExtra), MemoryMarshal.Cast<T, float>(hidden), MemoryMarshal.Cast<T, float>(extra));
                return;
            }

            var size = hidden.Length;
            TensorPrimitives.Add(gates, recurrent, gates);
            TensorPrimitives.Add(gates, biasHh, gates);
            Span<T> i = gates[..size], f = gates.Slice(size, size), g = gates.Slice(2 * size, size), o = gates.Slice(3 * size, size);
            TensorPrimitives.Sigmoid(gates[..(2 * size)], gates[..(2 * size)]);
            TensorPrimitives.Tanh(g, g);
            TensorPrimitives.Sigmoid(o, o);
            TensorPrimitives.Multiply(i, g, extra);
            if (!previousExtra.IsEmpty)
            {
                TensorPrimitives.FusedMultiplyAdd(f, previousExtra, extra, extra);
            }

            TensorPrimitives.Tanh(extra, hidden);
            TensorPrimitives.Multiply(hidden, o, hidden);
        }

        // do = dh·tanh(c)·o(1 − o); dc = carried + dh·o·(1 − tanh²c); di = dc·g·i(1 − i), df = dc·c_{t−1}·f(1 − f),
        // dg = dc·i·(1 − g²) (σ′ from σ's output s as s − s²); dc·f is carried to t − 1. Float on AVX-512 takes
        // one 16-lane pass with its own tanh (LstmCellFloat). Otherwise tanh(c) is one span
        // operation into the o row of recurrent; the rest is one pass of Vector<T> lanes that reads each gate
        // once, where 21 span operations over the rows each paid their call and a trip through memory (the
        // row-MNIST LSTM's batch-64 training step: 6.5 ms against 7.4, best of 40 interleaved, machine loaded).
        public void Backward(Span<T> gates, Span<T> recurrent, Span<T> dh, Span<T> dExtra, ReadOnlySpan<T> previousHidden, ReadOnlySpan<T> hidden, ReadOnlySpan<T> previousExtra, ReadOnlySpan<T> extra)
        {
            if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated)
            {
                LstmCellFloat.Backward(MemoryMarshal.Cast<T, float>(gates), MemoryMarshal.Cast<T, float>(recurrent), MemoryMarshal.Cast<T, float>(dh), MemoryMarshal.Cast<T, float>(dExtra), MemoryMarshal.Cast<T, float>(previousExtra), MemoryMarshal.Cast<T, float>(extra));
                return;
            }

            var size = hidden.Length;
            TensorPrimitives.Tanh(extra, recurrent.Slice(3 * size, size));
            var hasPrevious = !previousExtra.IsEmpty; // at t = 0, c_{−1} = 0 and df = 0
            var j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                for (; j + Vector<T>.Count <= size; j += Vector<T>.Count)
                {
                    Vector<T> i = new(gates[j..]), f = new(gates[(size + j)..]), g = new(gates[((2 * size) + j)..]), o = new(gates[((3 * size) + j)..]);
                    Vector<T> tanhC = new(recurrent[((3 * size) + j)..]), dhj = new(dh[j..]);
                    var dc = ((Vector<T>.One - (tanhC * tanhC)) * o * dhj) + new Vector<T>(dExtra[j..]);
                    var df = hasPrevious ? dc * new Vector<T>(previousExtra[j..]) * (f - (f * f)) : Vector<T>.Zero;
                    Store(gates, recurrent, j, dc * g * (i - (i * i)));
                    Store(gates, recurrent, size + j, df);
                    Store(gates, recurrent, (2 * size) + j, dc * i * (Vector<T>.One - (g * g)));
                    Store(gates, recurrent, (3 * size) + j, dhj * tanhC * (o - (o * o)));
                    (dc * f).CopyTo(dExtra[j..]);
                    Vector<T>.Zero.CopyTo(dh[j..]);
                }
            }

            for (; j < size; j++)
            {
                T i = gates[j], f = gates[size + j], g = gates[(2 * size) + j], o = gates[(3 * size) + j];
                T tanhC = recurrent[(3 * size) + j], dhj = dh[j];
                var dc = ((T.One - (tanhC * tanhC)) * o * dhj) + dExtra[j];
                var df = hasPrevious ? dc * previousExtra[j] * (f - (f * f)) : T.Zero;
                gates[j] = recurrent[j] = dc * g * (i - (i * i));
                gates[size + j] = recurrent[size + j] = df;
                gates[(2 * size) + j] = recurrent[(2 * size) + j] = dc * i * (T.One - (g * g));
                gates[(3 * size) + j] = recurrent[(3 * size) + j] = dhj * tanhC * (o - (o * o));
                dExtra[j] = dc * f;
                dh[j] = T.Zero;
            }
        }

        // The gate gradient is both the input side's and the recurrent side's.
        private static void Store(Span<T> gates, Span<T> recurrent, int offset, Vector<T> value)
        {
            value.CopyTo(gates[offset..]);
            value.CopyTo(recurrent[offset..]);
        }
    }
}
