using System;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// A gated recurrent unit layer over a sequence <c>x[B, steps, inputs]</c>, as PyTorch's
/// <c>nn.GRU(batch_first=True)</c> with one layer: gates in PyTorch's order <c>r, z, n</c>,
/// <c>weight_ih_l0 [3·hidden, inputs]</c>, <c>weight_hh_l0 [3·hidden, hidden]</c>, <c>bias_ih_l0</c>
/// and <c>bias_hh_l0 [3·hidden]</c>, zero initial state. Per step <c>r = σ(W_ir·x + b_ir + W_hr·h + b_hr)</c>,
/// <c>z = σ(W_iz·x + b_iz + W_hz·h + b_hz)</c>, <c>n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn))</c> (the
/// reset gate applied to the recurrent term with its bias, as PyTorch does), <c>h' = (1 − z) ⊙ n + z ⊙ h</c>.
/// The output is every <c>h_t</c> (<c>[B, steps, hidden]</c>) or the last one (<c>[B, hidden]</c>).
/// </summary>
public sealed class GRU : RecurrentLayer
{
    /// <summary>Creates the view of a GRU layer whose four tensors start at <paramref name="offset"/>, in state_dict order.</summary>
    /// <param name="name">state_dict prefix, e.g. <c>gru</c>.</param>
    /// <param name="parameters">The network's flat parameter buffer.</param>
    /// <param name="gradients">The network's flat gradient buffer (same layout); null for a [Frozen] layer, which has none.</param>
    /// <param name="offset">Offset of <c>weight_ih_l0</c>; <c>weight_hh_l0</c>, <c>bias_ih_l0</c> and <c>bias_hh_l0</c> follow it.</param>
    /// <param name="hidden">Hidden state size.</param>
    /// <param name="inputs">Features per step.</param>
    public GRU(string name, float[] parameters, float[]? gradients, int offset, int hidden, int inputs)
        : base(name, parameters, gradients, offset, gates: 3, hidden, inputs)
    {
    }

    /// <summary>
    /// Floats per sample the layer keeps between forward and backward: every step's gates <c>r, z, n</c>
    /// <c>[steps, 3·hidden]</c>, its recurrent candidate term <c>W_hn·h + b_hn</c> and hidden state
    /// <c>[steps, hidden]</c> each, and one step's scratch (recurrent product <c>[3·hidden]</c>, carried <c>dh</c>).
    /// </summary>
    public static int SavedPerSample(int steps, int hidden) => (5 * steps * hidden) + (4 * hidden);

    /// <summary>
    /// Runs the sequence: the input projection of every step is one matrix product (with
    /// <c>b_ih</c> in its epilogue); then per step one product <c>h_{t−1}·W_hhᵀ</c> and one fused pass
    /// that adds <c>b_hh</c>, applies the gates and updates the hidden state. Nothing is allocated.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh, Span<T> y, Span<T> saved, int batch, int steps, int inputs, int hidden, bool returnSequences)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var state = new SavedState<T>(saved, batch, steps, hidden);
        int gates = 3 * hidden;
        Gemm.Multiply(false, true, batch * steps, gates, inputs, x, weightIh, state.Gates, false, new GemmEpilogue<T> { ColumnBias = biasIh });
        for (var t = 0; t < steps; t++)
        {
            if (t > 0)
            {
                Gemm.Multiply(false, true, batch, gates, hidden, state.Hidden(t - 1), weightHh, state.Step, false);
            }
            else
            {
                state.Step.Clear();
            }

            ForwardStep(state, biasHh, y, t, batch, steps, hidden, returnSequences);
        }
    }

    /// <summary>
    /// Backward through time, with the contract of <see cref="LSTM.Backward{T}"/>: per step one fused
    /// pass gives the gradients of the input and recurrent pre-activations (they differ in the
    /// candidate's part, which the reset gate scales on the recurrent side), one product adds to
    /// <c>dW_hh</c> and one carries <c>dh</c> back; <c>dW_ih</c>, <c>db_ih</c> and <c>dx</c> are then one
    /// product (or sum) over every step. Gradients are overwritten, not accumulated.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, Span<T> saved, Span<T> weightIhGradient, Span<T> weightHhGradient, Span<T> biasIhGradient, Span<T> biasHhGradient, Span<T> dx, int batch, int steps, int inputs, int hidden, bool returnSequences, Activation previousActivation, ReadOnlySpan<T> previousSaved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var state = new SavedState<T>(saved, batch, steps, hidden);
        int gates = 3 * hidden;
        var trainable = !weightIhGradient.IsEmpty; // all four are empty while the layer is frozen
        state.CarriedHidden.Clear();
        if (trainable)
        {
            biasHhGradient[..gates].Clear(); // each step adds its recurrent gradients
            if (steps == 1)
            {
                weightHhGradient.Clear(); // h_{−1} = 0: the recurrent weights had no effect
            }
        }

        for (var t = steps - 1; t >= 0; t--)
        {
            BackwardStep(state, dy, trainable ? biasHhGradient : default, t, batch, steps, hidden, returnSequences);
            if (t > 0)
            {
                if (trainable)
                {
                    Gemm.Multiply(true, false, gates, hidden, batch, state.Step, state.Hidden(t - 1), weightHhGradient, accumulate: t < steps - 1);
                }

                Gemm.Multiply(false, false, batch, hidden, gates, state.Step, weightHh, state.CarriedHidden, accumulate: true);
            }
        }

        var dz = state.Gates;
        if (trainable)
        {
            Gemm.Multiply(true, false, gates, inputs, batch * steps, dz, x, weightIhGradient, false);
            Dense.SumRows<T>(dz, biasIhGradient, batch * steps, gates);
        }

        if (dx.IsEmpty)
        {
            return;
        }

        if (Activations.IsElementwise(previousActivation))
        {
            Gemm.Multiply(false, false, batch * steps, inputs, gates, dz, weightIh, dx, false, new GemmEpilogue<T> { DerivativeOf = previousActivation, DerivativeSaved = previousSaved });
        }
        else
        {
            Gemm.Multiply(false, false, batch * steps, inputs, gates, dz, weightIh, dx, false);
            Activations.SoftmaxBackwardRows(dx, previousSaved, batch * steps, inputs);
        }
    }

    // r, z from the projection + recurrent product + b_hh; the candidate's recurrent term W_hn·h + b_hn
    // is kept (its gradient and r's need it); n, then h_t and its output copy. Gates overwrite the projection.
    private static void ForwardStep<T>(SavedState<T> state, ReadOnlySpan<T> biasHh, Span<T> y, int t, int batch, int steps, int hidden, bool returnSequences)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var hiddens = state.Hidden(t);
        var candidates = state.Candidate(t);
        ReadOnlySpan<T> previous = t > 0 ? state.Hidden(t - 1) : default;
        for (var b = 0; b < batch; b++)
        {
            var gate = state.GatesAt(b, t);
            var recurrent = state.Step.Slice(b * 3 * hidden, 3 * hidden);
            var output = returnSequences ? y.Slice(((b * steps) + t) * hidden, hidden) : t == steps - 1 ? y.Slice(b * hidden, hidden) : default;
            for (var j = 0; j < hidden; j++)
            {
                var r = Sigmoid(gate[j] + recurrent[j] + biasHh[j]);
                var z = Sigmoid(gate[hidden + j] + recurrent[hidden + j] + biasHh[hidden + j]);
                var candidate = recurrent[(2 * hidden) + j] + biasHh[(2 * hidden) + j];
                var n = T.Tanh(gate[(2 * hidden) + j] + (r * candidate));
                var h = ((T.One - z) * n) + (t > 0 ? z * previous[(b * hidden) + j] : T.Zero);
                (gate[j], gate[hidden + j], gate[(2 * hidden) + j]) = (r, z, n);
                candidates[(b * hidden) + j] = candidate;
                hiddens[(b * hidden) + j] = h;
                if (!output.IsEmpty)
                {
                    output[j] = h;
                }
            }
        }
    }

    // dh = carried + dy_t; dn = dh·(1 − z) → a = dn·(1 − n²); dz = dh·(h_{t−1} − n)·z(1 − z);
    // dr = a·(W_hn·h + b_hn)·r(1 − r). Input side [dr, dz, a] over the saved gates; recurrent side
    // [dr, dz, a·r] into the step scratch and db_hh; the carried dh starts as dh·z (the product adds the rest).
    private static void BackwardStep<T>(SavedState<T> state, ReadOnlySpan<T> dy, Span<T> biasHhGradient, int t, int batch, int steps, int hidden, bool returnSequences)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var candidates = state.Candidate(t);
        ReadOnlySpan<T> previous = t > 0 ? state.Hidden(t - 1) : default;
        for (var b = 0; b < batch; b++)
        {
            var gate = state.GatesAt(b, t);
            var recurrent = state.Step.Slice(b * 3 * hidden, 3 * hidden);
            var carried = state.CarriedHidden.Slice(b * hidden, hidden);
            var output = returnSequences ? dy.Slice(((b * steps) + t) * hidden, hidden) : t == steps - 1 ? dy.Slice(b * hidden, hidden) : default;
            for (var j = 0; j < hidden; j++)
            {
                T r = gate[j], z = gate[hidden + j], n = gate[(2 * hidden) + j];
                var dh = carried[j] + (output.IsEmpty ? T.Zero : output[j]);
                var previousHidden = t > 0 ? previous[(b * hidden) + j] : T.Zero;
                var a = dh * (T.One - z) * (T.One - (n * n));
                var dz = dh * (previousHidden - n) * z * (T.One - z);
                var dr = a * candidates[(b * hidden) + j] * r * (T.One - r);
                (gate[j], gate[hidden + j], gate[(2 * hidden) + j]) = (dr, dz, a);
                (recurrent[j], recurrent[hidden + j], recurrent[(2 * hidden) + j]) = (dr, dz, a * r);
                carried[j] = dh * z;
            }

            if (!biasHhGradient.IsEmpty)
            {
                for (var j = 0; j < 3 * hidden; j++)
                {
                    biasHhGradient[j] += recurrent[j];
                }
            }
        }
    }

    private static T Sigmoid<T>(T z)
        where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-z));

    /// <summary>
    /// The layer's saved region, carved up: gates <c>[B, steps, 3·hidden]</c> (batch-major like the
    /// input, so the projection is one product), the candidate's recurrent term and hidden states
    /// <c>[steps, B, hidden]</c> (step-major, so each step's <c>h</c> is one contiguous matrix), the step
    /// scratch <c>[B, 3·hidden]</c> and the carried <c>dh</c> <c>[B, hidden]</c>.
    /// </summary>
    private readonly ref struct SavedState<T>
        where T : unmanaged
    {
        private readonly Span<T> _candidates, _hiddens;
        private readonly int _batch, _steps, _hidden;

        public SavedState(Span<T> saved, int batch, int steps, int hidden)
        {
            (_batch, _steps, _hidden) = (batch, steps, hidden);
            int gates = batch * steps * 3 * hidden, states = batch * steps * hidden;
            Gates = saved[..gates];
            _candidates = saved.Slice(gates, states);
            _hiddens = saved.Slice(gates + states, states);
            Step = saved.Slice(gates + (2 * states), batch * 3 * hidden);
            CarriedHidden = saved.Slice(gates + (2 * states) + (batch * 3 * hidden), batch * hidden);
        }

        public Span<T> Gates { get; }

        public Span<T> Step { get; }

        public Span<T> CarriedHidden { get; }

        public Span<T> GatesAt(int b, int t) => Gates.Slice(((b * _steps) + t) * 3 * _hidden, 3 * _hidden);

        public Span<T> Candidate(int t) => _candidates.Slice(t * _batch * _hidden, _batch * _hidden);

        public Span<T> Hidden(int t) => _hiddens.Slice(t * _batch * _hidden, _batch * _hidden);
    }
}
