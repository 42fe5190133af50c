using System;
using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>A bound <c>[LSTM(hidden, ReturnSequences = …)]</c>.</summary>
internal sealed record LSTMSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location, int Hidden, bool ReturnSequences)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => "LSTM";
}

/// <summary>
/// LSTM: <c>[*, steps, features] → [*, hidden]</c> (the last step's h) or <c>[*, steps, hidden]</c>
/// (every step's, <c>ReturnSequences</c>), PyTorch's tensors and gate order (<c>weight_ih_l0 [4·hidden,
/// features]</c>, <c>weight_hh_l0 [4·hidden, hidden]</c>, <c>bias_ih_l0</c>, <c>bias_hh_l0</c>; <c>i, f, g, o</c>).
/// Forward: the input projection of every step is one product, then per step one recurrent product
/// and one fused gate/cell pass; backward through time mirrors it. What backward reads (gates, cell
/// and hidden states of every step) is the saved region. Numerics: the runtime's <c>NetGen.LSTM</c>.
/// No device kernels yet: a network with an LSTM gets NG0301 and no device class.
/// </summary>
internal sealed class LSTMLayer : UnaryLayerKind
{
    private const string WeightIh = "weight_ih_l0", WeightHh = "weight_hh_l0", BiasIh = "bias_ih_l0", BiasHh = "bias_hh_l0";

    public override string AttributeMetadataName => "NetGen.LSTMAttribute";

    public override string RuntimeType => "NetGen.LSTM";

    public override bool HasDeviceCode => false;

    public override LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics)
    {
        var hidden = arguments.Int("hidden", 0);
        if (hidden <= 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.LocationOf("hidden"), declaration.PropertyName, $"LSTM hidden size must be positive, got {hidden}"));
            return null;
        }

        return new LSTMSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location, hidden, arguments.Bool("ReturnSequences", false));
    }

    public override ShapeResult InferShape(LayerSpec spec, Shape input, string producer)
    {
        if (input.Rank != 2)
        {
            var hint = producer == InputReference.NetworkInput
                ? $"; declare the input as [Input(steps, features)] with steps × features = {input.Size}"
                : $"; '{producer}' must produce [steps, features] (an LSTM with ReturnSequences = true, or the network input)";
            return ShapeResult.Fail(DiagnosticInfo.Create(DiagnosticDescriptors.InputRankMismatch, spec.Location, spec.PropertyName, "LSTM", "a sequence [steps, features]", producer, input.ToString(), hint));
        }

        var lstm = (LSTMSpec)spec;
        return ShapeResult.Ok(lstm.ReturnSequences ? Shape.Of(input[0], lstm.Hidden) with { IsSequence = true } : Shape.Of(lstm.Hidden));
    }

    public override IEnumerable<ParameterTensor> Parameters(LayerSpec spec, Shape input, Shape output)
    {
        int hidden = ((LSTMSpec)spec).Hidden, features = input[1];
        yield return Tensor(spec, WeightIh, "WeightIh", Shape.Of(4 * hidden, features), hidden);
        yield return Tensor(spec, WeightHh, "WeightHh", Shape.Of(4 * hidden, hidden), hidden);
        yield return Tensor(spec, BiasIh, "BiasIh", Shape.Of(4 * hidden), hidden);
        yield return Tensor(spec, BiasHh, "BiasHh", Shape.Of(4 * hidden), hidden);
    }

    // Every tensor U(±1/√hidden), as PyTorch initialises nn.LSTM.
    private static ParameterTensor Tensor(LayerSpec spec, string name, string constant, Shape shape, int hidden) =>
        new(spec.StateName + "." + name, spec.PropertyName + constant, 0, shape, InitKind.RecurrentUniform, hidden, shape[0]);

    // Gates, cell and hidden states of every step, and one step's scratch: NetGen.LSTM.SavedPerSample.
    public override int SavedPerSample(LayerSpec spec, Shape input, Shape output)
    {
        var hidden = ((LSTMSpec)spec).Hidden;
        return checked((6 * input[0] * hidden) + (6 * hidden));
    }

    public override string Describe(LayerSpec spec, Shape input, Shape output)
    {
        var lstm = (LSTMSpec)spec;
        return $"{input[0]} steps × {input[1]} → {lstm.Hidden}, " + (lstm.ReturnSequences ? "every step" : "last step");
    }

    // Per step: two products with 4·hidden outputs (inputs and recurrent state), two bias adds.
    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output)
    {
        long hidden = ((LSTMSpec)spec).Hidden;
        return input[0] * ((8 * hidden * (input[1] + hidden)) + (8 * hidden));
    }

    public override void EmitForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var lstm = (LSTMSpec)plan.Layer;
        int steps = plan.Input[0], features = plan.Input[1];
        writer.Line($"// z_t[*, {4 * lstm.Hidden}] = x_t · weight_ih_l0[{4 * lstm.Hidden}, {features}]ᵀ + bias_ih_l0 + h_{{t−1}} · weight_hh_l0[{4 * lstm.Hidden}, {lstm.Hidden}]ᵀ + bias_hh_l0, gates i, f, g, o;");
        writer.Line($"// c_t = σ(f) ⊙ c_{{t−1}} + σ(i) ⊙ tanh(g), h_t = σ(o) ⊙ tanh(c_t) for t < {steps}; y{plan.Output.WithBatch} = " + (lstm.ReturnSequences ? "every h_t" : "h_last") + ".");
        writer.Line("// x · weight_ih_l0ᵀ for every step is one product; per step one product with h_{t−1} and one fused gate pass.");
        writer.Line($"global::NetGen.LSTM.Forward<float>(x: {context.Input}, weightIh: {context.Parameter(WeightIh)}, weightHh: {context.Parameter(WeightHh)}, biasIh: {context.Parameter(BiasIh)}, biasHh: {context.Parameter(BiasHh)}, y: {context.Output}, saved: {context.Saved}, batch: batch, steps: {steps}, inputs: {features}, hidden: {lstm.Hidden}, returnSequences: {(lstm.ReturnSequences ? "true" : "false")});");
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var lstm = (LSTMSpec)plan.Layer;
        writer.Line("// Backward through time: per step dz from dh, dc (fused), dweight_hh_l0 += dzᵀ · h_{t−1}, dh_{t−1} = dz · weight_hh_l0;");
        writer.Line("// then dweight_ih_l0 = dzᵀ · x, dbias = Σ dz and " + (context.ProducerActivation == ActivationKind.None ? "dx = dz · weight_ih_l0" : $"dx = (dz · weight_ih_l0) ⊙ {context.ProducerActivation}′ fused in the epilogue") + " over every step at once.");
        writer.Line($"global::NetGen.LSTM.Backward<float>(dy: {context.OutputGradient}, x: {context.Input}, weightIh: {context.Parameter(WeightIh)}, weightHh: {context.Parameter(WeightHh)}, saved: {context.Saved}, weightIhGradient: {context.ParameterGradient(WeightIh)}, weightHhGradient: {context.ParameterGradient(WeightHh)}, biasIhGradient: {context.ParameterGradient(BiasIh)}, biasHhGradient: {context.ParameterGradient(BiasHh)}, dx: {context.InputGradient}, batch: batch, steps: {plan.Input[0]}, inputs: {plan.Input[1]}, hidden: {lstm.Hidden}, returnSequences: {(lstm.ReturnSequences ? "true" : "false")}, previousActivation: {ActivationTable.Of(context.ProducerActivation).Literal}, previousSaved: {context.ProducerSaved});");
    }

    // Unreachable: HasDeviceCode is false, so GpuEmitter.Unsupported reports NG0301 and no device class is emitted.
    public override void EmitDeviceForward(LayerContext context, SourceWriter writer) => throw new InvalidOperationException("LSTM has no device kernels (NG0301)");

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer) => throw new InvalidOperationException("LSTM has no device kernels (NG0301)");

    public override string ViewConstruction(LayerContext context) =>
        $"new global::NetGen.LSTM(name: \"{context.Plan.Layer.StateName}\", parameters: _parameters, gradients: _gradients, offset: {context.ParameterConstant(WeightIh)}, hidden: {((LSTMSpec)context.Plan.Layer).Hidden}, inputs: {context.Plan.Input[1]})";
}
