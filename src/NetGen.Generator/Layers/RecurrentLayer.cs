using System;
using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>A bound recurrent layer, <c>[LSTM(hidden, ReturnSequences = …)]</c>, <c>[GRU(…)]</c> or <c>[SimpleRNN(…)]</c>; <paramref name="Cell"/> is its kind's name.</summary>
internal sealed record RecurrentSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location, string Cell, int Hidden, bool ReturnSequences)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => Cell;

    /// <summary>SimpleRNN's activation (Tanh or ReLU); None for the gated cells, whose nonlinearities are fixed.</summary>
    public ActivationKind Nonlinearity { get; init; }
}

/// <summary>
/// What the recurrent layers share: <c>[*, steps, features] → [*, hidden]</c> (the last step's h) or
/// <c>[*, steps, hidden]</c> (every step's, <c>ReturnSequences</c>), PyTorch's tensors
/// (<c>weight_ih_l0 [gates·hidden, features]</c>, <c>weight_hh_l0 [gates·hidden, hidden]</c>,
/// <c>bias_ih_l0</c>, <c>bias_hh_l0</c>) initialised <c>U(±1/√hidden)</c> as PyTorch does, and the
/// runtime call shape: the input projection of every step is one product, then per step one recurrent
/// product and one fused gate pass; backward through time mirrors it. What backward reads (every
/// step's gates and states) is the saved region. Each cell (<see cref="LSTMLayer"/>, <see cref="GRULayer"/>, <see cref="SimpleRNNLayer"/>)
/// states its gate count, saved size and formula. No device kernels yet: a network with one gets
/// NG0301 and no device class.
/// </summary>
internal abstract class RecurrentLayer : UnaryLayerKind
{
    private const string WeightIh = "weight_ih_l0", WeightHh = "weight_hh_l0", BiasIh = "bias_ih_l0", BiasHh = "bias_hh_l0";

    /// <summary>Gates stacked in the weights (LSTM's i, f, g, o: 4; GRU's r, z, n: 3).</summary>
    protected abstract int Gates { get; }

    /// <summary>Floats per sample the runtime's numerics keep for backward (its <c>SavedPerSample(steps, hidden)</c>).</summary>
    protected abstract int SavedPerSample(int steps, int hidden);

    /// <summary>The gradients backward carries from step to step, for the generated comment (<c>dh, dc</c> for LSTM).</summary>
    protected abstract string Carried { get; }

    /// <summary>The forward formula, for the generated comment (two lines).</summary>
    protected abstract (string Gates, string State) Formula(RecurrentSpec spec, int features);

    /// <summary>Binds what only this cell takes (SimpleRNN's activation); the gated cells take nothing more.</summary>
    protected virtual RecurrentSpec? BindCell(RecurrentSpec spec, LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics) => spec;

    /// <summary>Arguments only this cell's runtime calls take, after <c>returnSequences</c> (<c>, activation: …</c>).</summary>
    protected virtual string CellArguments(RecurrentSpec spec) => string.Empty;

    public override bool HasDeviceCode => false;

    public override LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics)
    {
        var hidden = arguments.Int("hidden", 0);
        if (hidden <= 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.LocationOf("hidden"), declaration.PropertyName, $"{Name} hidden size must be positive, got {hidden}"));
            return null;
        }

        return BindCell(new RecurrentSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location, Name, hidden, arguments.Bool("ReturnSequences", false)), declaration, arguments, diagnostics);
    }

    public override ShapeResult InferShape(LayerSpec spec, Shape input, string producer)
    {
        if (input.Rank != 2)
        {
            var hint = producer == InputReference.NetworkInput
                ? $"; declare the input as [Input(steps, features)] with steps × features = {input.Size}"
                : $"; '{producer}' must produce [steps, features] (a recurrent layer with ReturnSequences = true, or the network input)";
            return ShapeResult.Fail(DiagnosticInfo.Create(DiagnosticDescriptors.InputRankMismatch, spec.Location, spec.PropertyName, Name, "a sequence [steps, features]", producer, input.ToString(), hint));
        }

        var recurrent = (RecurrentSpec)spec;
        return ShapeResult.Ok(recurrent.ReturnSequences ? Shape.Of(input[0], recurrent.Hidden) with { IsSequence = true } : Shape.Of(recurrent.Hidden));
    }

    public override IEnumerable<ParameterTensor> Parameters(LayerSpec spec, Shape input, Shape output)
    {
        int hidden = ((RecurrentSpec)spec).Hidden, features = input[1];
        yield return Tensor(spec, WeightIh, "WeightIh", Shape.Of(Gates * hidden, features), hidden);
        yield return Tensor(spec, WeightHh, "WeightHh", Shape.Of(Gates * hidden, hidden), hidden);
        yield return Tensor(spec, BiasIh, "BiasIh", Shape.Of(Gates * hidden), hidden);
        yield return Tensor(spec, BiasHh, "BiasHh", Shape.Of(Gates * hidden), hidden);
    }

    private static ParameterTensor Tensor(LayerSpec spec, string name, string constant, Shape shape, int hidden) =>
        new(spec.StateName + "." + name, spec.PropertyName + constant, 0, shape, InitKind.RecurrentUniform, hidden, shape[0]);

    public override int SavedPerSample(LayerSpec spec, Shape input, Shape output) => SavedPerSample(input[0], ((RecurrentSpec)spec).Hidden);

    public override string Describe(LayerSpec spec, Shape input, Shape output)
    {
        var recurrent = (RecurrentSpec)spec;
        return $"{input[0]} steps × {input[1]} → {recurrent.Hidden}, " + (recurrent.ReturnSequences ? "every step" : "last step");
    }

    // Per step: two products with gates·hidden outputs (inputs and recurrent state), two bias adds.
    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output)
    {
        long hidden = ((RecurrentSpec)spec).Hidden;
        return input[0] * ((2 * Gates * hidden * (input[1] + hidden)) + (2 * Gates * hidden));
    }

    public override void EmitForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var recurrent = (RecurrentSpec)plan.Layer;
        int steps = plan.Input[0], features = plan.Input[1];
        var (gates, state) = Formula(recurrent, features);
        writer.Line("// " + gates);
        writer.Line($"// {state} for t < {steps}; y{plan.Output.WithBatch} = " + (recurrent.ReturnSequences ? "every h_t" : "h_last") + ".");
        writer.Line("// x · weight_ih_l0ᵀ for every step is one product; per step one product with h_{t−1} and one fused gate pass.");
        writer.Line($"global::{RuntimeType}.Forward<float>(x: {context.Input}, weightIh: {context.Parameter(WeightIh)}, weightHh: {context.Parameter(WeightHh)}, biasIh: {context.Parameter(BiasIh)}, biasHh: {context.Parameter(BiasHh)}, y: {context.Output}, saved: {context.Saved}, batch: batch, steps: {steps}, inputs: {features}, hidden: {recurrent.Hidden}, returnSequences: {(recurrent.ReturnSequences ? "true" : "false")}{CellArguments(recurrent)});");
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var recurrent = (RecurrentSpec)plan.Layer;
        writer.Line($"// Backward through time: per step dz from {Carried} (fused), dweight_hh_l0 += dzᵀ · h_{{t−1}}, dh_{{t−1}} = dz · weight_hh_l0;");
        writer.Line("// then dweight_ih_l0 = dzᵀ · x, dbias = Σ dz and " + (context.ProducerActivation == ActivationKind.None ? "dx = dz · weight_ih_l0" : $"dx = (dz · weight_ih_l0) ⊙ {context.ProducerActivation}′ fused in the epilogue") + " over every step at once.");
        writer.Line($"global::{RuntimeType}.Backward<float>(dy: {context.OutputGradient}, x: {context.Input}, weightIh: {context.Parameter(WeightIh)}, weightHh: {context.Parameter(WeightHh)}, saved: {context.Saved}, weightIhGradient: {context.ParameterGradient(WeightIh)}, weightHhGradient: {context.ParameterGradient(WeightHh)}, biasIhGradient: {context.ParameterGradient(BiasIh)}, biasHhGradient: {context.ParameterGradient(BiasHh)}, dx: {context.InputGradient}, batch: batch, steps: {plan.Input[0]}, inputs: {plan.Input[1]}, hidden: {recurrent.Hidden}, returnSequences: {(recurrent.ReturnSequences ? "true" : "false")}{CellArguments(recurrent)}, previousActivation: {ActivationTable.Of(context.ProducerActivation).Literal}, previousSaved: {context.ProducerSaved});");
    }

    // Unreachable: HasDeviceCode is false, so GpuEmitter.Unsupported reports NG0301 and no device class is emitted.
    public override void EmitDeviceForward(LayerContext context, SourceWriter writer) => throw new InvalidOperationException($"{Name} has no device kernels (NG0301)");

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer) => throw new InvalidOperationException($"{Name} has no device kernels (NG0301)");

    public override string ViewConstruction(LayerContext context) =>
        $"new global::{RuntimeType}(name: \"{context.Plan.Layer.StateName}\", parameters: _parameters, gradients: {context.GradientBuffer}, offset: {context.ParameterConstant(WeightIh)}, hidden: {((RecurrentSpec)context.Plan.Layer).Hidden}, inputs: {context.Plan.Input[1]})";
}
