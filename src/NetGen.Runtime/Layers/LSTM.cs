using System;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// A long short-term memory layer over a sequence <c>x[B, steps, inputs]</c>, as PyTorch's
/// <c>nn.LSTM(batch_first=True)</c> with one layer: gates in PyTorch's order <c>i, f, g, o</c>,
/// <c>weight_ih_l0 [4·hidden, inputs]</c>, <c>weight_hh_l0 [4·hidden, hidden]</c>,
/// <c>bias_ih_l0</c> and <c>bias_hh_l0 [4·hidden]</c>, zero initial state. Per step
/// <c>z = W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh</c>, <c>c_t = σ(z_f)⊙c_{t−1} + σ(z_i)⊙tanh(z_g)</c>,
/// <c>h_t = σ(z_o)⊙tanh(c_t)</c>. The output is every <c>h_t</c> (<c>[B, steps, hidden]</c>) or the
/// last one (<c>[B, hidden]</c>). The instance is a view of the layer's parameters; the static
/// <see cref="Forward{T}"/> / <see cref="Backward{T}"/> pair is the numerics the generated code calls.
/// </summary>
public sealed class LSTM : RecurrentLayer
{
    /// <summary>Creates the view of an LSTM layer whose four tensors start at <paramref name="offset"/>, in state_dict order.</summary>
    /// <param name="name">state_dict prefix, e.g. <c>lstm</c>.</param>
    /// <param name="parameters">The network's flat parameter buffer.</param>
    /// <param name="gradients">The network's flat gradient buffer (same layout); null for a [Frozen] layer, which has none.</param>
    /// <param name="offset">Offset of <c>weight_ih_l0</c>; <c>weight_hh_l0</c>, <c>bias_ih_l0</c> and <c>bias_hh_l0</c> follow it.</param>
    /// <param name="hidden">Hidden (and cell) state size.</param>
    /// <param name="inputs">Features per step.</param>
    public LSTM(string name, float[] parameters, float[]? gradients, int offset, int hidden, int inputs)
        : base(name, parameters, gradients, offset, gates: 4, hidden, inputs)
    {
    }

    /// <summary>
    /// Floats per sample the layer keeps between forward and backward: every step's activated gates
    /// <c>[steps, 4·hidden]</c>, cell and hidden states <c>[steps, hidden]</c> each, and one step's
    /// scratch (recurrent product <c>[4·hidden]</c>, carried <c>dh</c> and <c>dc</c>).
    /// </summary>
    public static int SavedPerSample(int steps, int hidden) => (6 * steps * hidden) + (6 * hidden);

    /// <summary>
    /// Runs the sequence: the input projection of every step is one matrix product (with
    /// <c>b_ih</c> in its epilogue); then per step one product <c>h_{t−1}·W_hhᵀ</c> and one fused pass
    /// that adds it and <c>b_hh</c>, applies the gate nonlinearities and updates the cell and hidden
    /// states. <paramref name="saved"/> (<see cref="SavedPerSample"/> × batch floats) keeps what
    /// <see cref="Backward{T}"/> reads. Nothing is allocated.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh, Span<T> y, Span<T> saved, int batch, int steps, int inputs, int hidden, bool returnSequences)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var state = new SavedState<T>(saved, batch, steps, hidden);
        int gates = 4 * hidden;
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
    /// Backward through time. <paramref name="dy"/> is the gradient of the output (every step's
    /// <c>h_t</c>, or the last one). Writes the four parameter gradients and, when
    /// <paramref name="dx"/> is not empty, the gradient with respect to the producer's
    /// pre-activation (<c>dx = dz·W_ih ⊙ act′(previousSaved)</c>, the derivative fused into the
    /// product). Per step one fused pass turns <c>dh</c>, <c>dc</c> into the gate gradients <c>dz</c>,
    /// one product adds <c>dzᵀ·h_{t−1}</c> to <c>dW_hh</c> and one carries <c>dh = dz·W_hh</c> back;
    /// <c>dW_ih</c>, the biases and <c>dx</c> are then one product (or sum) over every step. The gate
    /// gradients overwrite the saved gates. Gradients are overwritten, not accumulated.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, Span<T> saved, Span<T> weightIhGradient, Span<T> weightHhGradient, Span<T> biasIhGradient, Span<T> biasHhGradient, Span<T> dx, int batch, int steps, int inputs, int hidden, bool returnSequences, Activation previousActivation, ReadOnlySpan<T> previousSaved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var state = new SavedState<T>(saved, batch, steps, hidden);
        int gates = 4 * hidden;
        state.CarriedHidden.Clear();
        state.CarriedCell.Clear();
        var trainable = !weightIhGradient.IsEmpty; // all four are empty while the layer is frozen
        if (steps == 1 && trainable)
        {
            weightHhGradient.Clear(); // h_{−1} = 0: the recurrent weights had no effect
        }

        for (var t = steps - 1; t >= 0; t--)
        {
            BackwardStep(state, dy, t, batch, steps, hidden, returnSequences);
            if (t > 0)
            {
                if (trainable)
                {
                    Gemm.Multiply(true, false, gates, hidden, batch, state.Step, state.Hidden(t - 1), weightHhGradient, accumulate: t < steps - 1);
                }

                Gemm.Multiply(false, false, batch, hidden, gates, state.Step, weightHh, state.CarriedHidden, false);
            }
        }

        var dz = state.Gates;
        if (trainable)
        {
            Gemm.Multiply(true, false, gates, inputs, batch * steps, dz, x, weightIhGradient, false);
            Dense.SumRows<T>(dz, biasIhGradient, batch * steps, gates);
            biasIhGradient[..gates].CopyTo(biasHhGradient); // both biases enter z the same way
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

    // The gates of step t: z = projection (with b_ih) + recurrent product + b_hh, activated in place
    // (i, f, o by σ, g by tanh); then c_t and h_t, and the output copy of h_t.
    private static void ForwardStep<T>(SavedState<T> state, ReadOnlySpan<T> biasHh, Span<T> y, int t, int batch, int steps, int hidden, bool returnSequences)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cells = state.Cell(t);
        var hiddens = state.Hidden(t);
        ReadOnlySpan<T> previousCells = t > 0 ? state.Cell(t - 1) : default;
        for (var b = 0; b < batch; b++)
        {
            var z = state.GatesAt(b, t);
            var recurrent = state.Step.Slice(b * 4 * hidden, 4 * hidden);
            var output = returnSequences ? y.Slice(((b * steps) + t) * hidden, hidden) : t == steps - 1 ? y.Slice(b * hidden, hidden) : default;
            for (var j = 0; j < hidden; j++)
            {
                var i = Sigmoid(z[j] + recurrent[j] + biasHh[j]);
                var f = Sigmoid(z[hidden + j] + recurrent[hidden + j] + biasHh[hidden + j]);
                var g = T.Tanh(z[(2 * hidden) + j] + recurrent[(2 * hidden) + j] + biasHh[(2 * hidden) + j]);
                var o = Sigmoid(z[(3 * hidden) + j] + recurrent[(3 * hidden) + j] + biasHh[(3 * hidden) + j]);
                var c = (i * g) + (t > 0 ? f * previousCells[(b * hidden) + j] : T.Zero);
                var h = o * T.Tanh(c);
                (z[j], z[hidden + j], z[(2 * hidden) + j], z[(3 * hidden) + j]) = (i, f, g, o);
                cells[(b * hidden) + j] = c;
                hiddens[(b * hidden) + j] = h;
                if (!output.IsEmpty)
                {
                    output[j] = h;
                }
            }
        }
    }

    // dh = carried + dy_t; do = dh·tanh(c); dc = carried + dh·o·(1 − tanh²c); di = dc·g, df = dc·c_{t−1},
    // dg = dc·i; each times its nonlinearity's derivative gives dz, written over the saved gates and
    // into the step scratch (contiguous, for the two per-step products); dc·f is carried to t − 1.
    private static void BackwardStep<T>(SavedState<T> state, ReadOnlySpan<T> dy, int t, int batch, int steps, int hidden, bool returnSequences)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cells = state.Cell(t);
        ReadOnlySpan<T> previousCells = t > 0 ? state.Cell(t - 1) : default;
        for (var b = 0; b < batch; b++)
        {
            var gate = state.GatesAt(b, t);
            var dz = state.Step.Slice(b * 4 * hidden, 4 * hidden);
            var carriedHidden = state.CarriedHidden.Slice(b * hidden, hidden);
            var carriedCell = state.CarriedCell.Slice(b * hidden, hidden);
            var output = returnSequences ? dy.Slice(((b * steps) + t) * hidden, hidden) : t == steps - 1 ? dy.Slice(b * hidden, hidden) : default;
            for (var j = 0; j < hidden; j++)
            {
                T i = gate[j], f = gate[hidden + j], g = gate[(2 * hidden) + j], o = gate[(3 * hidden) + j];
                var dh = carriedHidden[j] + (output.IsEmpty ? T.Zero : output[j]);
                var tanhC = T.Tanh(cells[(b * hidden) + j]);
                var dc = carriedCell[j] + (dh * o * (T.One - (tanhC * tanhC)));
                var previousCell = t > 0 ? previousCells[(b * hidden) + j] : T.Zero;
                dz[j] = dc * g * i * (T.One - i);
                dz[hidden + j] = dc * previousCell * f * (T.One - f);
                dz[(2 * hidden) + j] = dc * i * (T.One - (g * g));
                dz[(3 * hidden) + j] = dh * tanhC * o * (T.One - o);
                carriedCell[j] = dc * f;
            }

            dz.CopyTo(gate);
        }
    }

    private static T Sigmoid<T>(T z)
        where T : unmanaged, IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-z));

    /// <summary>
    /// The layer's saved region, carved up: gates <c>[B, steps, 4·hidden]</c> (batch-major like
    /// the input, so the projection is one product), cell and hidden states <c>[steps, B, hidden]</c>
    /// (step-major, so each step's <c>h</c> is one contiguous matrix for the recurrent product), the
    /// step scratch <c>[B, 4·hidden]</c> and the carried <c>dh</c>, <c>dc</c> <c>[B, hidden]</c>.
    /// </summary>
    private readonly ref struct SavedState<T>
        where T : unmanaged
    {
        private readonly Span<T> _cells, _hiddens;
        private readonly int _batch, _steps, _hidden;

        public SavedState(Span<T> saved, int batch, int steps, int hidden)
        {
            (_batch, _steps, _hidden) = (batch, steps, hidden);
            int gates = batch * steps * 4 * hidden, states = batch * steps * hidden;
            Gates = saved[..gates];
            _cells = saved.Slice(gates, states);
            _hiddens = saved.Slice(gates + states, states);
            Step = saved.Slice(gates + (2 * states), batch * 4 * hidden);
            CarriedHidden = saved.Slice(gates + (2 * states) + (batch * 4 * hidden), batch * hidden);
            CarriedCell = saved.Slice(gates + (2 * states) + (batch * 5 * hidden), batch * hidden);
        }

        public Span<T> Gates { get; }

        public Span<T> Step { get; }

        public Span<T> CarriedHidden { get; }

        public Span<T> CarriedCell { get; }

        public Span<T> GatesAt(int b, int t) => Gates.Slice(((b * _steps) + t) * 4 * _hidden, 4 * _hidden);

        public Span<T> Cell(int t) => _cells.Slice(t * _batch * _hidden, _batch * _hidden);

        public Span<T> Hidden(int t) => _hiddens.Slice(t * _batch * _hidden, _batch * _hidden);
    }
}
