using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// The recurrent layers on the device, the CPU's time loop launch by launch: the input projection of every
/// step and direction is one product into the saved gates; per step one product <c>h_{s−1} · W_hhᵀ</c> and one
/// fused cell kernel. Backward per step: one fused gate-gradient kernel, writing the recurrent side of the gate
/// gradients to a stack of every step, and one product carrying <c>dh</c> back through <c>W_hh</c>; then
/// <c>dW_hh</c> is one product over every step (the stack against the states before each) and <c>db_hh</c> one
/// column sum, and <c>dW_ih</c>, <c>db_ih</c> and <c>dx</c> one product or sum over every step and direction.
/// Buffers are the CPU's saved region (its layout, see <see cref="GpuRecurrentKernels"/>) and, for the stack,
/// that region's twin in the gradient buffer, which no tensor's gradient uses: nothing is allocated per step.
/// </summary>
internal abstract partial class RecurrentLayer
{
    /// <summary>The cell's kernel name prefix: <c>lstm</c>, <c>gru</c>, <c>rnn_tanh</c>.</summary>
    protected abstract string DeviceName(RecurrentSpec spec);

    /// <summary>Whether the cell keeps a second state per step (LSTM's cell state, GRU's candidate recurrent term).</summary>
    protected abstract bool SecondState { get; }

    /// <summary>Whether backward carries a second gradient from step to step (LSTM's <c>dc</c>).</summary>
    protected abstract bool CarriesSecond { get; }

    /// <summary>The cell's forward step in the kernel dialect (the contract of <see cref="GpuRecurrentKernels.Forward"/>).</summary>
    protected abstract string DeviceForward(RecurrentSpec spec);

    /// <summary>The cell's backward step in the kernel dialect (the contract of <see cref="GpuRecurrentKernels.Backward"/>).</summary>
    protected abstract string DeviceBackward(RecurrentSpec spec);

    /// <summary>The pre-activation of gate <paramref name="gate"/>, the CPU's order of additions: projection, b_ih, recurrent product, b_hh.</summary>
    protected static string PreActivation(int gate)
    {
        var at = gate == 0 ? "[0]" : $"[{gate} * hidden]";
        return $"gate{at} + biasIh{at} + (first ? 0.0f : recurrent{at}) + biasHh{at}";
    }

    public override IEnumerable<string> DeviceKernels(LayerPlan plan)
    {
        var spec = (RecurrentSpec)plan.Layer;
        yield return GpuRecurrentKernels.Forward(DeviceName(spec), Gates, SecondState, DeviceForward(spec));
        yield return GpuRecurrentKernels.Backward(DeviceName(spec), Gates, SecondState, CarriesSecond, DeviceBackward(spec));
        if (spec.MaskPadding)
        {
            yield return GpuRecurrentKernels.Lengths;
        }
    }

    // The kernels cannot throw: a sample of padding only is refused on the host, with the CPU's error, before the batch is staged.
    public override void EmitDeviceInputCheck(LayerContext context, SourceWriter writer)
    {
        var spec = (RecurrentSpec)context.Plan.Layer;
        if (spec.MaskPadding)
        {
            var embedding = Embedding(context);
            writer.Line($"// {spec.StateName}: every sample needs a token other than {embedding.Layer.PropertyName}'s padding id {embedding.Padding} (MaskPadding), as on the CPU.");
            writer.Line($"global::NetGen.RecurrentLayer.CheckPadding<float>(layer: \"{spec.StateName}\", tokens: inputs, padding: {embedding.Padding}f, steps: {context.Plan.Input[0]});");
        }
    }

    public override void EmitDeviceForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var spec = (RecurrentSpec)plan.Layer;
        var at = new DeviceLayout(plan, Gates, SecondState, CarriesSecond);
        int features = plan.Input[1], rows = at.Rows, hidden = spec.Hidden, steps = at.Steps;
        var (gates, state) = Formula(spec, features);
        writer.Line($"// {spec.StateName}: {gates}");
        writer.Line($"// {state}; y{plan.Output.WithBatch} = " + (spec.ReturnSequences ? "every h_t" : "h_last") + (spec.Bidirectional ? $", both directions side by side (the reverse one reads t from {steps - 1} down)." : "."));
        writer.Line($"// Saved: gates [batch, {steps}, {spec.Directions * rows}], then per direction the states [{steps}, batch, {hidden}]{(SecondState ? " (and the cell's second state, alike)" : string.Empty)} and the step's h_{{s−1}} · {spec.TensorName(WeightHh)}ᵀ [batch, {rows}].");
        if (spec.MaskPadding)
        {
            var embedding = Embedding(context);
            writer.Line($"// Each sample's length, one past its last token id other than {embedding.Layer.PropertyName}'s padding id {embedding.Padding}; the steps from there on keep the state and output zero.");
            writer.Line($"Launch(\"lengths_from_padding\", batch, /* tokens */ {embedding.Tokens.Device.Input}, /* lengths */ Activations, {at.Lengths}, /* batch, steps, padding */ batch, {steps}, {embedding.Padding}f);");
        }

        writer.Line($"Gemm(batch * {steps}, {spec.Directions * rows}, {features}, /* x */ {context.Device.Input}, {features}, 1, /* {spec.TensorName(WeightIh)}ᵀ */ Parameters, {context.ParameterConstant(spec.TensorName(WeightIh))}, 1, {features}, /* gates */ Activations, {at.Saved(0)}, accumulate: false);");
        using (at.Directions(writer))
        {
            writer.Line($"for (var s = 0; s < {steps}; s++)");
            using (writer.Braces())
            {
                writer.Line("if (s > 0)");
                using (writer.Braces())
                {
                    writer.Line($"Gemm(batch, {rows}, {hidden}, /* h_{{s−1}} */ Activations, {at.Saved(at.States, $"(s - 1) * {hidden}")}, {hidden}, 1, /* {spec.TensorName(WeightHh)}ᵀ */ Parameters, {at.Parameter(context, spec.TensorName(WeightHh), rows * hidden)}, 1, {hidden}, /* recurrent */ Activations, {at.Saved(at.Recurrent)}, accumulate: false);");
                }

                writer.Line($"Launch(\"{DeviceName(spec)}_forward_step\", batch * {hidden}, /* saved */ Activations, {at.Saved(0)}, /* states, second, recurrent, lengths */ {at.Saved(at.States)}, {(SecondState ? at.Saved(at.Second) : "0")}, {at.Saved(at.Recurrent)}, {at.Lengths}, /* b_ih, b_hh */ Parameters, {at.Parameter(context, spec.TensorName(BiasIh), rows)}, {at.Parameter(context, spec.TensorName(BiasHh), rows)}, /* y */ {context.Device.Output}, /* batch, steps, hidden, directions, direction, s, sequences */ batch, {steps}, {hidden}, {spec.Directions}, {at.Direction}, s, {(spec.ReturnSequences ? 1 : 0)});");
            }
        }
    }

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var device = context.Device;
        var spec = (RecurrentSpec)plan.Layer;
        var at = new DeviceLayout(plan, Gates, SecondState, CarriesSecond);
        int features = plan.Input[1], rows = at.Rows, hidden = spec.Hidden, steps = at.Steps;
        string weightIh = spec.TensorName(WeightIh), weightHh = spec.TensorName(WeightHh);
        writer.Line($"// {spec.StateName}: backward through time{(spec.Bidirectional ? ", each direction" : string.Empty)}: per step the fused gate gradients from {Carried} (the recurrent side into the stack");
        writer.Line($"// [{steps}, batch, {rows}] in the saved region's gradient twin) and dh_{{s−1}} += dz_s · {weightHh}; then d{weightHh} = Σ_s dz_sᵀ · h_{{s−1}} in one product.");
        using (at.Directions(writer))
        {
            writer.Line($"for (var s = {steps - 1}; s >= 0; s--)");
            using (writer.Braces())
            {
                writer.Line($"Launch(\"{DeviceName(spec)}_backward_step\", batch * {hidden}, /* saved */ Activations, {at.Saved(0)}, /* states, second, carried, carried second, lengths */ {at.Saved(at.States)}, {(SecondState ? at.Saved(at.Second) : "0")}, {at.Saved(at.Carried)}, {(CarriesSecond ? at.Saved(at.CarriedSecond) : "0")}, {at.Lengths}, /* stack */ ActivationGradients, {at.Stack()}, /* dy */ {device.OutputGradient}, /* batch, steps, hidden, directions, direction, s, sequences */ batch, {steps}, {hidden}, {spec.Directions}, {at.Direction}, s, {(spec.ReturnSequences ? 1 : 0)});");
                writer.Line("if (s > 0)");
                using (writer.Braces())
                {
                    writer.Line($"Gemm(batch, {hidden}, {rows}, /* dz_s */ ActivationGradients, {at.Stack("s")}, {rows}, 1, /* {weightHh} */ Parameters, {at.Parameter(context, weightHh, rows * hidden)}, {hidden}, 1, /* dh_{{s−1}} */ Activations, {at.Saved(at.Carried)}, accumulate: true);");
                }
            }

            if (steps > 1)
            {
                writer.Line($"Gemm({rows}, {hidden}, batch * {steps - 1}, /* dz_1 … dz_{steps - 1} ᵀ */ ActivationGradients, {at.Stack()} + batch * {rows}, 1, {rows}, /* h_0 … h_{steps - 2} */ Activations, {at.Saved(at.States)}, {hidden}, 1, /* d{weightHh} */ {device.ParameterGradients}, {at.Gradient(device, weightHh, rows * hidden)}, accumulate: false);");
            }
            else
            {
                writer.Line($"Launch(\"fill_zero\", {rows * hidden}, /* d{weightHh}: h_{{−1}} = 0, so W_hh had no effect */ {device.ParameterGradients}, {at.Gradient(device, weightHh, rows * hidden)}, {rows * hidden});");
            }

            writer.Line($"Launch(\"column_sum\", {rows}, /* dz of every step */ ActivationGradients, {at.Stack()}, /* rows, columns */ batch * {steps}, {rows}, /* d{spec.TensorName(BiasHh)} */ {device.ParameterGradients}, {at.Gradient(device, spec.TensorName(BiasHh), rows)});");
        }

        var all = spec.Directions * rows;
        writer.Line($"// d{weightIh} = dzᵀ · x, d{spec.TensorName(BiasIh)} = Σ dz over every step{(spec.Bidirectional ? " and direction" : string.Empty)}" + (device.NeedsInputGradient ? $", dx = (dz · {weightIh}){context.DerivativeNote()}" : "; the input needs no gradient"));
        writer.Line($"Gemm({all}, {features}, batch * {steps}, /* dzᵀ */ Activations, {at.Saved(0)}, 1, {all}, /* x */ {device.Input}, {features}, 1, /* d{weightIh} */ {device.ParameterGradients}, {device.ParameterGradientOffset(weightIh)}, accumulate: false);");
        writer.Line($"Launch(\"column_sum\", {all}, /* dz */ Activations, {at.Saved(0)}, /* rows, columns */ batch * {steps}, {all}, /* d{spec.TensorName(BiasIh)} */ {device.ParameterGradients}, {device.ParameterGradientOffset(spec.TensorName(BiasIh))});");
        if (device.NeedsInputGradient)
        {
            writer.Line($"Gemm(batch * {steps}, {features}, {all}, /* dz */ Activations, {at.Saved(0)}, {all}, 1, /* {weightIh} */ Parameters, {context.ParameterConstant(weightIh)}, {features}, 1, /* dx */ {device.InputGradient}, accumulate: false);");
            device.EmitProducerDerivative(writer, 0, plan.Input.Size);
        }
    }

    /// <summary>
    /// Where the device loop's tensors lie, as per-sample offsets into the saved region (the CPU's layout): the
    /// gates of every step and direction, then per direction (<c>_region</c> floats apart) the states, the
    /// second states, the step's recurrent product and the carried gradients, and with <c>MaskPadding</c> each
    /// sample's length last. Offsets render as C# text with <c>batch</c> and, when bidirectional, the loop
    /// variable <c>direction</c>.
    /// </summary>
    private readonly struct DeviceLayout
    {
        private readonly int _saved, _hidden, _directions, _region, _end;
        private readonly bool _masked;

        public DeviceLayout(LayerPlan plan, int gates, bool second, bool carriesSecond)
        {
            var spec = (RecurrentSpec)plan.Layer;
            (_saved, _hidden, _directions, Steps, Rows) = (plan.SavedOffset, spec.Hidden, spec.Directions, plan.Input[0], gates * spec.Hidden);
            (_end, _masked) = (plan.SavedOffset + plan.SavedPerSample, spec.MaskPadding);
            States = Steps * _directions * Rows;
            Second = States + (Steps * _hidden);
            Recurrent = States + ((second ? 2 : 1) * Steps * _hidden);
            Carried = Recurrent + Rows;
            CarriedSecond = Carried + _hidden;
            _region = Carried + ((carriesSecond ? 2 : 1) * _hidden) - States;
        }

        public int Steps { get; }

        /// <summary>Gates × hidden: one direction's rows of W_ih and W_hh.</summary>
        public int Rows { get; }

        public int States { get; }

        public int Second { get; }

        public int Recurrent { get; }

        public int Carried { get; }

        public int CarriedSecond { get; }

        /// <summary>Where each sample's length lies (the saved region's last <c>batch</c> floats, as on the CPU), or −1 without <c>MaskPadding</c>.</summary>
        public string Lengths => _masked ? $"batch * {_end - 1}" : "-1";

        /// <summary>The direction as the kernels take it: the loop variable, or 0 for a single direction.</summary>
        public string Direction => _directions > 1 ? "direction" : "0";

        /// <summary>Opens the loop over directions (nothing for one).</summary>
        public System.IDisposable? Directions(SourceWriter writer)
        {
            if (_directions == 1)
            {
                return null;
            }

            writer.Line($"for (var direction = 0; direction < {_directions}; direction++)");
            return writer.Braces();
        }

        /// <summary>The offset in the activation buffer of <paramref name="start"/> (a direction's part past the gates), plus <paramref name="step"/> per sample.</summary>
        public string Saved(int start, string? step = null)
        {
            var terms = new List<string> { (_saved + start).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (_directions > 1 && start >= States)
            {
                terms.Add($"direction * {_region}");
            }

            if (step is not null)
            {
                terms.Add(step);
            }

            return terms.Count == 1 ? $"batch * {terms[0]}" : $"batch * ({string.Join(" + ", terms)})";
        }

        /// <summary>Step <paramref name="step"/>'s rows of the recurrent gradient stack (its start when null), in the saved region's gradient twin.</summary>
        public string Stack(string? step = null) => step is null ? $"batch * {_saved}" : $"batch * ({_saved} + {step} * {Rows})";

        /// <summary>A direction's part of a parameter tensor that holds both directions' (<paramref name="size"/> floats each).</summary>
        public string Parameter(LayerContext context, string suffix, int size) => Directed(context.ParameterConstant(suffix)!, size);

        /// <summary>A direction's part of a parameter gradient.</summary>
        public string Gradient(LayerContext.DeviceView device, string suffix, int size) => Directed(device.ParameterGradientOffset(suffix), size);

        private string Directed(string offset, int size) => _directions > 1 ? $"{offset} + direction * {size}" : offset;
    }
}
