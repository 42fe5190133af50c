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

    /// <summary>How many layers the declaration stacks (<c>NumLayers</c>); <c>Parsing.RecurrentStacks</c> makes one node of each.</summary>
    public int NumLayers { get; init; } = 1;

    /// <summary>The dropout rate between stacked layers, in training (<c>Dropout</c>).</summary>
    public double InterLayerDropout { get; init; }

    /// <summary>This node's layer in its stack, the <c>l</c> of its tensors' <c>_l</c> suffix (0 for an unstacked layer).</summary>
    public int Layer { get; init; }

    /// <summary>The suffix of this node's tensor <paramref name="tensor"/> in the state_dict, e.g. <c>weight_ih_l1</c>.</summary>
    public string TensorName(string tensor) => $"{tensor}_l{Layer}";
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
    private const string WeightIh = "weight_ih", WeightHh = "weight_hh", BiasIh = "bias_ih", BiasHh = "bias_hh";

    /// <summary>Layers a declaration may stack: each is a node of the plan, and a deeper stack is no longer a recurrent layer people train.</summary>
    private const int MaxLayers = 64;

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

        var layers = arguments.Int("NumLayers", 1);
        if (layers is < 1 or > MaxLayers)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRecurrentStack, arguments.LocationOf("NumLayers"), declaration.PropertyName, Name, $"NumLayers must lie in [1, {MaxLayers}], got {layers}"));
            return null;
        }

        var dropout = arguments.Double("Dropout", 0);
        if (!(dropout >= 0 && dropout < 1))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRecurrentStack, arguments.LocationOf("Dropout"), declaration.PropertyName, Name, $"the dropout rate between stacked layers must lie in [0, 1), got {Literals.Number(dropout)}"));
            return null;
        }

        if (dropout > 0 && layers == 1)
        {
            // PyTorch only warns: the layer stays usable, and no dropout is applied.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DropoutWithoutStack, arguments.LocationOf("Dropout"), declaration.PropertyName, Name, Literals.Number(dropout)));
        }

        var spec = new RecurrentSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location, Name, hidden, arguments.Bool("ReturnSequences", false))
        {
            NumLayers = layers,
            InterLayerDropout = layers > 1 ? dropout : 0,
        };
        return BindCell(spec, declaration, arguments, diagnostics);
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
        var recurrent = (RecurrentSpec)spec;
        int hidden = recurrent.Hidden, features = input[1];
        yield return Tensor(recurrent, WeightIh, "WeightIh", Shape.Of(Gates * hidden, features), hidden);
        yield return Tensor(recurrent, WeightHh, "WeightHh", Shape.Of(Gates * hidden, hidden), hidden);
        yield return Tensor(recurrent, BiasIh, "BiasIh", Shape.Of(Gates * hidden), hidden);
        yield return Tensor(recurrent, BiasHh, "BiasHh", Shape.Of(Gates * hidden), hidden);
    }

    // A stack's tensors are all named after the declared property, the layer's constants suffixed L0, L1, ….
    private static ParameterTensor Tensor(RecurrentSpec spec, string name, string constant, Shape shape, int hidden) =>
        new(spec.StateName + "." + spec.TensorName(name), (spec.Stack ?? spec.PropertyName) + constant + (spec.Stack is null ? string.Empty : "L" + spec.Layer), 0, shape, InitKind.RecurrentUniform, hidden, shape[0]);

    public override int SavedPerSample(LayerSpec spec, Shape input, Shape output) => SavedPerSample(input[0], ((RecurrentSpec)spec).Hidden);

    public override string Describe(LayerSpec spec, Shape input, Shape output)
    {
        var recurrent = (RecurrentSpec)spec;
        return $"{input[0]} steps × {input[1]} → {recurrent.Hidden}, " + (recurrent.ReturnSequences ? "every step" : "last step") + (recurrent.NumLayers > 1 ? $", layer {recurrent.Layer} of {recurrent.NumLayers}" : string.Empty);
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
        writer.Line($"// x · {recurrent.TensorName(WeightIh)}ᵀ for every step is one product; per step one product with h_{{t−1}} and one fused gate pass.");
        writer.Line($"global::{RuntimeType}.Forward<float>(x: {context.Input}, weightIh: {context.Parameter(recurrent.TensorName(WeightIh))}, weightHh: {context.Parameter(recurrent.TensorName(WeightHh))}, biasIh: {context.Parameter(recurrent.TensorName(BiasIh))}, biasHh: {context.Parameter(recurrent.TensorName(BiasHh))}, y: {context.Output}, saved: {context.Saved}, batch: batch, steps: {steps}, inputs: {features}, hidden: {recurrent.Hidden}, returnSequences: {(recurrent.ReturnSequences ? "true" : "false")}{CellArguments(recurrent)});");
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var recurrent = (RecurrentSpec)plan.Layer;
        string weightIh = recurrent.TensorName(WeightIh), weightHh = recurrent.TensorName(WeightHh);
        writer.Line($"// Backward through time: per step dz from {Carried} (fused), d{weightHh} += dzᵀ · h_{{t−1}}, dh_{{t−1}} = dz · {weightHh};");
        writer.Line($"// then d{weightIh} = dzᵀ · x, dbias = Σ dz and " + (context.ProducerActivation == ActivationKind.None ? $"dx = dz · {weightIh}" : $"dx = (dz · {weightIh}) ⊙ {context.ProducerActivation}′ fused in the epilogue") + " over every step at once.");
        writer.Line($"global::{RuntimeType}.Backward<float>(dy: {context.OutputGradient}, x: {context.Input}, weightIh: {context.Parameter(weightIh)}, weightHh: {context.Parameter(weightHh)}, saved: {context.Saved}, weightIhGradient: {context.ParameterGradient(weightIh)}, weightHhGradient: {context.ParameterGradient(weightHh)}, biasIhGradient: {context.ParameterGradient(recurrent.TensorName(BiasIh))}, biasHhGradient: {context.ParameterGradient(recurrent.TensorName(BiasHh))}, dx: {context.InputGradient}, batch: batch, steps: {plan.Input[0]}, inputs: {plan.Input[1]}, hidden: {recurrent.Hidden}, returnSequences: {(recurrent.ReturnSequences ? "true" : "false")}{CellArguments(recurrent)}, previousActivation: {ActivationTable.Of(context.ProducerActivation).Literal}, previousSaved: {context.ProducerSaved});");
    }

    // Unreachable: HasDeviceCode is false, so GpuEmitter.Unsupported reports NG0301 and no device class is emitted.
    public override void EmitDeviceForward(LayerContext context, SourceWriter writer) => throw new InvalidOperationException($"{Name} has no device kernels (NG0301)");

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer) => throw new InvalidOperationException($"{Name} has no device kernels (NG0301)");

    public override string ViewConstruction(LayerContext context) =>
        $"new global::{RuntimeType}(name: \"{context.Plan.Layer.StateName}\", parameters: _parameters, gradients: _gradients, offset: {context.ParameterConstant(((RecurrentSpec)context.Plan.Layer).TensorName(WeightIh))}, hidden: {((RecurrentSpec)context.Plan.Layer).Hidden}, inputs: {context.Plan.Input[1]})";
}
