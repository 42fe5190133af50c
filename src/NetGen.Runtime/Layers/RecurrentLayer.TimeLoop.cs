using System;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// The time loop every recurrent cell shares, forward and backward side by side: the input projection
/// of every step and direction is one product; per step and direction one recurrent product and one
/// fused pass of the cell (<see cref="IRecurrentCell{T}"/>), the batch split over the worker pool for
/// the whole pass (see <see cref="LoopParts{T, TCell}"/>); backward through time mirrors it, then
/// <c>dW_hh</c> and <c>db_hh</c> are summed over every step in one more run (<see cref="RecurrentWeightGradient"/>),
/// and <c>dW_ih</c>, <c>db_ih</c> and <c>dx</c> are one product (or sum) over every step and direction.
/// A bidirectional layer's tensors lie direction after direction (<c>weight_ih_l0</c> then
/// <c>weight_ih_l0_reverse</c>, and so on), so each span holds both. With per-sample lengths, steps at
/// or beyond a sample's length leave its state as it was (the output there is zero) and get no
/// gradient, as PyTorch's packed sequences; the reverse direction starts at the sample's last real step.
/// </summary>
public abstract partial class RecurrentLayer
{
    /// <summary>Floats per sample the loop keeps: see <see cref="SavedState{T}"/>.</summary>
    private protected static int SavedPerSample(int gates, bool extraState, bool carriesExtra, int steps, int hidden, bool bidirectional)
    {
        int perStep = (gates + 1 + (extraState ? 1 : 0)) * hidden, scratch = (gates + 1 + (carriesExtra ? 1 : 0)) * hidden;
        return (bidirectional ? 2 : 1) * ((steps * perStep) + scratch);
    }

    private protected static void ForwardLoop<T, TCell>(TCell cell, ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh, Span<T> y, Span<T> saved, int batch, int steps, int inputs, int hidden, bool returnSequences, bool bidirectional, ReadOnlySpan<T> lengths)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TCell : struct, IRecurrentCell<T>
    {
        CheckLengths(lengths, batch, steps);
        int directions = bidirectional ? 2 : 1, rows = cell.Gates * hidden;
        RecurrentProduct.InputProjection(batch * steps, directions * rows, inputs, x, weightIh, biasIh, SavedState<T>.AllGates(saved, batch, steps, directions, rows));
        var loop = new TimeLoop(batch, steps, hidden, returnSequences, directions);
        for (var d = 0; d < directions; d++)
        {
            var recurrentWeights = weightHh.Slice(d * rows * hidden, rows * hidden);
            var preparedWeights = RecurrentProduct.ForwardWeights(recurrentWeights, rows, hidden, batch);
            LoopParts<T, TCell>.Forward(cell, loop with { Direction = d }, recurrentWeights, preparedWeights, biasHh.Slice(d * rows, rows), y, saved, lengths);
        }
    }

    /// <summary>
    /// Forward through time of samples <c>[first, end)</c> in one direction: their rows of every step's product
    /// and cell. A sample's steps read only its own rows, so any split of the batch gives the same numbers.
    /// </summary>
    private static void ForwardRows<T, TCell>(TCell cell, in TimeLoop loop, ReadOnlySpan<T> recurrentWeights, ReadOnlySpan<T> preparedWeights, ReadOnlySpan<T> recurrentBias, Span<T> y, Span<T> saved, ReadOnlySpan<T> lengths, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TCell : struct, IRecurrentCell<T>
    {
        int batch = loop.Batch, steps = loop.Steps, hidden = loop.Hidden, rows = cell.Gates * hidden, width = loop.Directions * hidden, count = end - first;
        var state = new SavedState<T>(saved, batch, steps, hidden, cell.Gates, cell.HasExtraState, cell.CarriesExtraGradient, loop.Directions, loop.Direction);
        var product = state.Step.Slice(first * rows, count * rows);
        for (var s = 0; s < steps; s++)
        {
            if (s > 0)
            {
                RecurrentProduct.MultiplyForward(count, rows, hidden, state.Hidden(s - 1).Slice(first * hidden, count * hidden), recurrentWeights, preparedWeights, product);
            }
            else
            {
                product.Clear();
            }

            for (var b = first; b < end; b++)
            {
                var length = Length(lengths, b, steps);
                var t = TimeOf(loop.Direction, s, length);
                var h = state.HiddenAt(s, b);
                var output = loop.ReturnSequences ? y.Slice((((b * steps) + t) * width) + (loop.Direction * hidden), hidden) : default;
                if (s < length)
                {
                    cell.Forward(state.GatesAt(b, t), state.StepAt(b), recurrentBias, s > 0 ? state.HiddenAt(s - 1, b) : default, s > 0 ? state.ExtraAt(s - 1, b) : default, h, state.ExtraAt(s, b));
                    if (loop.ReturnSequences)
                    {
                        h.CopyTo(output);
                    }
                }
                else
                {
                    state.HiddenAt(s - 1, b).CopyTo(h); // a padded step keeps the state
                    state.ExtraAt(s - 1, b).CopyTo(state.ExtraAt(s, b));
                    output.Clear();
                }

                if (!loop.ReturnSequences && s == steps - 1)
                {
                    h.CopyTo(y.Slice((b * width) + (loop.Direction * hidden), hidden));
                }
            }
        }
    }

    private protected static void BackwardLoop<T, TCell>(TCell cell, ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> weightIh, ReadOnlySpan<T> weightHh, Span<T> saved, Span<T> weightIhGradient, Span<T> weightHhGradient, Span<T> biasIhGradient, Span<T> biasHhGradient, Span<T> dx, int batch, int steps, int inputs, int hidden, bool returnSequences, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool bidirectional, ReadOnlySpan<T> lengths)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TCell : struct, IRecurrentCell<T>
    {
        int directions = bidirectional ? 2 : 1, rows = cell.Gates * hidden;
        var trainable = !weightIhGradient.IsEmpty; // all four are empty while the layer is frozen
        if (trainable && steps == 1)
        {
            weightHhGradient.Clear(); // h_{−1} = 0: the recurrent weights had no effect
        }

        var loop = new TimeLoop(batch, steps, hidden, returnSequences, directions);
        var split = loop.Parts > 1;
        for (var d = 0; d < directions; d++)
        {
            // A loop on one thread adds each step's share of dW_hh and db_hh as it goes, from one step's
            // recurrent-side gate gradients [B, Gates·hidden]. A split one keeps every step's [steps, B,
            // Gates·hidden] and sums them after the loop, so that its threads need not meet at each step.
            var recurrentGradients = ThreadScratch<ScratchPurpose.RecurrentGradients, T>.Rent((split ? steps : 1) * batch * rows);
            var recurrentWeights = weightHh.Slice(d * rows * hidden, rows * hidden);
            Span<T> weightGradient = trainable ? weightHhGradient.Slice(d * rows * hidden, rows * hidden) : default, biasGradient = trainable ? biasHhGradient.Slice(d * rows, rows) : default;
            var preparedWeights = RecurrentProduct.BackwardWeights(recurrentWeights, rows, hidden, batch);
            LoopParts<T, TCell>.Backward(cell, loop with { Direction = d }, dy, recurrentWeights, preparedWeights, saved, recurrentGradients, split ? default : weightGradient, split ? default : biasGradient, lengths);
            if (trainable && split)
            {
                var state = new SavedState<T>(saved, batch, steps, hidden, cell.Gates, cell.HasExtraState, cell.CarriesExtraGradient, directions, d);
                RecurrentWeightGradient.Compute<T>(rows, hidden, batch, steps, recurrentGradients, state.Hiddens, weightGradient, biasGradient);
            }
        }

        var dz = SavedState<T>.AllGates(saved, batch, steps, directions, rows);
        if (trainable)
        {
            RecurrentProduct.InputWeightGradient<T>(directions * rows, inputs, batch * steps, dz, x, weightIhGradient);
            RowSums.Sum<T>(dz, biasIhGradient, batch * steps, directions * rows);
        }

        if (dx.IsEmpty)
        {
            return;
        }

        if (Activations.IsElementwise(previousActivation))
        {
            Gemm.Multiply(false, false, batch * steps, inputs, directions * rows, dz, weightIh, dx, false, new GemmEpilogue<T> { DerivativeOf = previousActivation, DerivativeSaved = previousSaved });
        }
        else
        {
            Gemm.Multiply(false, false, batch * steps, inputs, directions * rows, dz, weightIh, dx, false);
            Activations.SoftmaxBackwardRows(dx, previousSaved, batch * steps, inputs);
        }
    }

    /// <summary>
    /// Backward through time of samples <c>[first, end)</c> in one direction: per step (last first) their
    /// cells turn <c>dh</c>, <c>dc</c> into gate gradients (the input side over the saved gates, the
    /// recurrent side into <paramref name="recurrentGradients"/>: step s's slot when the batch is split, else
    /// the one slot, whose share of <paramref name="weightGradient"/> and <paramref name="biasGradient"/> is
    /// added at once unless they are empty), and their rows of <c>dh = dz·W_hh</c> carry back. Like forward,
    /// a sample reads only its own rows.
    /// </summary>
    private static void BackwardRows<T, TCell>(TCell cell, in TimeLoop loop, ReadOnlySpan<T> dy, ReadOnlySpan<T> recurrentWeights, ReadOnlySpan<T> preparedWeights, Span<T> saved, Span<T> recurrentGradients, Span<T> weightGradient, Span<T> biasGradient, ReadOnlySpan<T> lengths, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TCell : struct, IRecurrentCell<T>
    {
        int batch = loop.Batch, steps = loop.Steps, hidden = loop.Hidden, rows = cell.Gates * hidden, width = loop.Directions * hidden, count = end - first;
        var state = new SavedState<T>(saved, batch, steps, hidden, cell.Gates, cell.HasExtraState, cell.CarriesExtraGradient, loop.Directions, loop.Direction);
        var carried = state.Carried.Slice(first * hidden, count * hidden);
        carried.Clear();
        if (!state.CarriedExtra.IsEmpty)
        {
            state.CarriedExtra.Slice(first * hidden, count * hidden).Clear();
        }

        for (var s = steps - 1; s >= 0; s--)
        {
            var stepGradients = recurrentGradients.Slice((((loop.Parts > 1 ? s : 0) * batch) + first) * rows, count * rows);
            for (var b = first; b < end; b++)
            {
                var length = Length(lengths, b, steps);
                var t = TimeOf(loop.Direction, s, length);
                var dh = state.CarriedAt(b);
                var recurrent = stepGradients.Slice((b - first) * rows, rows);
                if (!loop.ReturnSequences && s == steps - 1)
                {
                    Add(dy.Slice((b * width) + (loop.Direction * hidden), hidden), dh); // the last output is the state at the last real step: it passes the padded ones
                }

                if (s < length)
                {
                    if (loop.ReturnSequences)
                    {
                        Add(dy.Slice((((b * steps) + t) * width) + (loop.Direction * hidden), hidden), dh);
                    }

                    cell.Backward(state.GatesAt(b, t), recurrent, dh, state.CarriedExtraAt(b), s > 0 ? state.HiddenAt(s - 1, b) : default, state.HiddenAt(s, b), s > 0 ? state.ExtraAt(s - 1, b) : default, state.ExtraAt(s, b));
                }
                else
                {
                    state.GatesAt(b, t).Clear(); // a padded step gets no gradient; dh and dc pass it unchanged
                    recurrent.Clear();
                }
            }

            if (!weightGradient.IsEmpty)
            {
                RecurrentWeightGradient.AddStep<T>(rows, hidden, batch, s, steps, stepGradients, s > 0 ? state.Hidden(s - 1) : default, weightGradient, biasGradient);
            }

            if (s > 0)
            {
                RecurrentProduct.MultiplyBackward(count, hidden, rows, stepGradients, recurrentWeights, preparedWeights, carried);
            }
        }
    }

    // The forward direction reads step s at time s; the reverse one reads the sample's real steps
    // backwards (time length − 1 − s), then its padded steps in place, so each (sample, time) is visited once.
    private static int TimeOf(int direction, int s, int length) => direction == 1 && s < length ? length - 1 - s : s;

    private static void Add<T>(ReadOnlySpan<T> source, Span<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j = 0; j < target.Length; j++)
        {
            target[j] += source[j];
        }
    }

    /// <summary>
    /// The saved region, carved up: every step's gates <c>[B, steps, directions, Gates·hidden]</c> (batch-major
    /// like the input, so the projection is one product); then per direction the states <c>[steps, B, hidden]</c>
    /// (step-major, so each step's <c>h</c> is one contiguous matrix for the recurrent product) and the cell's
    /// second state if any, the step scratch <c>[B, Gates·hidden]</c>, the carried <c>dh</c> and the cell's
    /// second carried gradient if any <c>[B, hidden]</c>. States are indexed by the step's place in the
    /// direction's order, so the previous state is always the one before.
    /// </summary>
    private readonly ref struct SavedState<T>
        where T : unmanaged
    {
        private readonly Span<T> _gates, _hiddens, _extras;
        private readonly int _batch, _steps, _hidden, _rows, _directions, _direction;

        public SavedState(Span<T> saved, int batch, int steps, int hidden, int gates, bool extraState, bool carriesExtra, int directions, int direction)
        {
            (_batch, _steps, _hidden, _rows, _directions, _direction) = (batch, steps, hidden, gates * hidden, directions, direction);
            _gates = AllGates(saved, batch, steps, directions, _rows);
            int states = batch * steps * hidden, region = ((extraState ? 2 : 1) * states) + (batch * (_rows + ((carriesExtra ? 2 : 1) * hidden)));
            var own = saved.Slice(_gates.Length + (direction * region), region);
            _hiddens = own[..states];
            _extras = extraState ? own.Slice(states, states) : default;
            var scratch = own[((extraState ? 2 : 1) * states)..];
            Step = scratch[..(batch * _rows)];
            Carried = scratch.Slice(batch * _rows, batch * hidden);
            CarriedExtra = carriesExtra ? scratch.Slice((batch * _rows) + (batch * hidden), batch * hidden) : default;
        }

        public Span<T> Step { get; }

        public Span<T> Carried { get; }

        public Span<T> CarriedExtra { get; }

        public static Span<T> AllGates(Span<T> saved, int batch, int steps, int directions, int rows) => saved[..(batch * steps * directions * rows)];

        public Span<T> GatesAt(int b, int t) => _gates.Slice(((((b * _steps) + t) * _directions) + _direction) * _rows, _rows);

        public Span<T> StepAt(int b) => Step.Slice(b * _rows, _rows);

        public Span<T> CarriedAt(int b) => Carried.Slice(b * _hidden, _hidden);

        public Span<T> CarriedExtraAt(int b) => CarriedExtra.IsEmpty ? default : CarriedExtra.Slice(b * _hidden, _hidden);

        public Span<T> Hiddens => _hiddens;

        public Span<T> Hidden(int s) => _hiddens.Slice(s * _batch * _hidden, _batch * _hidden);

        public Span<T> HiddenAt(int s, int b) => _hiddens.Slice(((s * _batch) + b) * _hidden, _hidden);

        public Span<T> ExtraAt(int s, int b) => _extras.IsEmpty ? default : _extras.Slice(((s * _batch) + b) * _hidden, _hidden);
    }
}
