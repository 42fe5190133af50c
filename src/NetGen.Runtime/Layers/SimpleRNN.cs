using System;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// An Elman recurrent layer over a sequence <c>x[B, steps, inputs]</c>, as PyTorch's
/// <c>nn.RNN(batch_first=True, nonlinearity='tanh' or 'relu')</c> with one layer:
/// <c>h_t = act(W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh)</c>, <c>weight_ih_l0 [hidden, inputs]</c>,
/// <c>weight_hh_l0 [hidden, hidden]</c>, <c>bias_ih_l0</c> and <c>bias_hh_l0 [hidden]</c>, zero initial
/// state. The output is every <c>h_t</c> (<c>[B, steps, hidden]</c>) or the last one (<c>[B, hidden]</c>).
/// </summary>
public sealed class SimpleRNN : RecurrentLayer
{
    /// <summary>Creates the view of a recurrent layer whose four tensors start at <paramref name="offset"/>, in state_dict order.</summary>
    /// <param name="name">state_dict prefix, e.g. <c>rnn</c>.</param>
    /// <param name="parameters">The network's flat parameter buffer.</param>
    /// <param name="gradients">The network's flat gradient buffer (same layout); null for a [Frozen] layer, which has none.</param>
    /// <param name="offset">Offset of <c>weight_ih_l0</c>; <c>weight_hh_l0</c>, <c>bias_ih_l0</c> and <c>bias_hh_l0</c> follow it.</param>
    /// <param name="hidden">Hidden state size.</param>
    /// <param name="inputs">Features per step.</param>
    public SimpleRNN(string name, float[] parameters, float[]? gradients, int offset, int hidden, int inputs)
        : base(name, parameters, gradients, offset, gates: 1, hidden, inputs)
    {
    }

    /// <summary>
    /// Floats per sample the layer keeps between forward and backward: every step's pre-activation
    /// slot <c>[steps, hidden]</c> (the projection, then the gradient), every step's hidden state
    /// <c>[steps, hidden]</c>, and one step's scratch (recurrent product and carried <c>dh</c>).
    /// </summary>
    public static int SavedPerSample(int steps, int hidden) => (2 * steps * hidden) + (2 * hidden);

    /// <summary>
    /// Runs the sequence: the input projection of every step is one matrix product (with
    /// <c>b_ih</c> in its epilogue); then per step one product <c>h_{t−1}·W_hhᵀ</c> and one pass that
    /// adds it and <c>b_hh</c> and applies <paramref name="activation"/> (Tanh or ReLU). Nothing is allocated.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh, Span<T> y, Span<T> saved, int batch, int steps, int inputs, int hidden, bool returnSequences, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var state = new SavedState<T>(saved, batch, steps, hidden);
        Gemm.Multiply(false, true, batch * steps, hidden, inputs, x, weightIh, state.Projection, false, new GemmEpilogue<T> { ColumnBias = biasIh });
        for (var t = 0; t < steps; t++)
        {
            if (t > 0)
            {
                Gemm.Multiply(false, true, batch, hidden, hidden, state.Hidden(t - 1), weightHh, state.Step, false);
            }
            else
            {
                state.Step.Clear();
            }

            var hiddens = state.Hidden(t);
            for (var b = 0; b < batch; b++)
            {
                var projection = state.ProjectionAt(b, t);
                var recurrent = state.Step.Slice(b * hidden, hidden);
                var output = returnSequences ? y.Slice(((b * steps) + t) * hidden, hidden) : t == steps - 1 ? y.Slice(b * hidden, hidden) : default;
                for (var j = 0; j < hidden; j++)
                {
                    var h = Activations.Apply(activation, projection[j] + recurrent[j] + biasHh[j]);
                    hiddens[(b * hidden) + j] = h;
                    if (!output.IsEmpty)
                    {
                        output[j] = h;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Backward through time, with the contract of <see cref="LSTM.Backward{T}"/>: per step
    /// <c>dz = (carried + dy_t) ⊙ act′(h_t)</c> over the saved projection, one product adds
    /// <c>dzᵀ·h_{t−1}</c> to <c>dW_hh</c> and one carries <c>dz·W_hh</c> back; <c>dW_ih</c>, both biases and
    /// <c>dx</c> are then one product (or sum) over every step. Gradients are overwritten, not accumulated.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, Span<T> saved, Span<T> weightIhGradient, Span<T> weightHhGradient, Span<T> biasIhGradient, Span<T> biasHhGradient, Span<T> dx, int batch, int steps, int inputs, int hidden, bool returnSequences, Activation activation, Activation previousActivation, ReadOnlySpan<T> previousSaved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var state = new SavedState<T>(saved, batch, steps, hidden);
        var trainable = !weightIhGradient.IsEmpty; // all four are empty while the layer is frozen
        state.Carried.Clear();
        if (steps == 1 && trainable)
        {
            weightHhGradient.Clear(); // h_{−1} = 0: the recurrent weights had no effect
        }

        for (var t = steps - 1; t >= 0; t--)
        {
            var hiddens = state.Hidden(t);
            for (var b = 0; b < batch; b++)
            {
                var dz = state.ProjectionAt(b, t);
                var step = state.Step.Slice(b * hidden, hidden);
                var carried = state.Carried.Slice(b * hidden, hidden);
                var output = returnSequences ? dy.Slice(((b * steps) + t) * hidden, hidden) : t == steps - 1 ? dy.Slice(b * hidden, hidden) : default;
                for (var j = 0; j < hidden; j++)
                {
                    var dh = carried[j] + (output.IsEmpty ? T.Zero : output[j]);
                    dz[j] = step[j] = dh * Activations.Derivative(activation, hiddens[(b * hidden) + j]);
                }
            }

            if (t > 0)
            {
                if (trainable)
                {
                    Gemm.Multiply(true, false, hidden, hidden, batch, state.Step, state.Hidden(t - 1), weightHhGradient, accumulate: t < steps - 1);
                }

                Gemm.Multiply(false, false, batch, hidden, hidden, state.Step, weightHh, state.Carried, false);
            }
        }

        var gradient = state.Projection;
        if (trainable)
        {
            Gemm.Multiply(true, false, hidden, inputs, batch * steps, gradient, x, weightIhGradient, false);
            Dense.SumRows<T>(gradient, biasIhGradient, batch * steps, hidden);
            biasIhGradient[..hidden].CopyTo(biasHhGradient); // both biases enter z the same way
        }

        if (dx.IsEmpty)
        {
            return;
        }

        if (Activations.IsElementwise(previousActivation))
        {
            Gemm.Multiply(false, false, batch * steps, inputs, hidden, gradient, weightIh, dx, false, new GemmEpilogue<T> { DerivativeOf = previousActivation, DerivativeSaved = previousSaved });
        }
        else
        {
            Gemm.Multiply(false, false, batch * steps, inputs, hidden, gradient, weightIh, dx, false);
            Activations.SoftmaxBackwardRows(dx, previousSaved, batch * steps, inputs);
        }
    }

    /// <summary>
    /// The layer's saved region: the projection <c>[B, steps, hidden]</c> (batch-major like the input;
    /// backward overwrites it with dz), hidden states <c>[steps, B, hidden]</c> (step-major, so each step's
    /// <c>h</c> is one contiguous matrix), the step scratch and the carried <c>dh</c> <c>[B, hidden]</c>.
    /// </summary>
    private readonly ref struct SavedState<T>
        where T : unmanaged
    {
        private readonly Span<T> _hiddens;
        private readonly int _batch, _steps, _hidden;

        public SavedState(Span<T> saved, int batch, int steps, int hidden)
        {
            (_batch, _steps, _hidden) = (batch, steps, hidden);
            var states = batch * steps * hidden;
            Projection = saved[..states];
            _hiddens = saved.Slice(states, states);
            Step = saved.Slice(2 * states, batch * hidden);
            Carried = saved.Slice((2 * states) + (batch * hidden), batch * hidden);
        }

        public Span<T> Projection { get; }

        public Span<T> Step { get; }

        public Span<T> Carried { get; }

        public Span<T> ProjectionAt(int b, int t) => Projection.Slice(((b * _steps) + t) * _hidden, _hidden);

        public Span<T> Hidden(int t) => _hiddens.Slice(t * _batch * _hidden, _batch * _hidden);
    }
}
