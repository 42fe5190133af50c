using System.Collections.Generic;
using System.Linq;
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

    /// <summary>Whether a reverse direction runs beside the forward one (<c>…_reverse</c> tensors, outputs side by side).</summary>
    public bool Bidirectional { get; init; }

    /// <summary>Whether each sample's length comes from the padding id of the Embedding the layer reads, directly or through per-step and masked recurrent layers (steps from there on are skipped), and where the argument is.</summary>
    public bool MaskPadding { get; init; }

    public LocationInfo? MaskPaddingLocation { get; init; }

    /// <summary>1, or 2 when <see cref="Bidirectional"/>: how many hidden states each step's output holds.</summary>
    public int Directions => Bidirectional ? 2 : 1;
}

/// <summary>
/// What the recurrent layers share: <c>[*, steps, features] → [*, hidden]</c> (the last step's h) or
/// <c>[*, steps, hidden]</c> (every step's, <c>ReturnSequences</c>), PyTorch's tensors
/// (<c>weight_ih_l0 [gates·hidden, features]</c>, <c>weight_hh_l0 [gates·hidden, hidden]</c>,
/// <c>bias_ih_l0</c>, <c>bias_hh_l0</c>) initialised <c>U(±1/√hidden)</c> as PyTorch does, and the
/// runtime call shape: the input projection of every step is one product, then per step one recurrent
/// product and one fused gate pass; backward through time mirrors it. What backward reads (every
/// step's gates and states) is the saved region. Each cell (<see cref="LSTMLayer"/>, <see cref="GRULayer"/>, <see cref="SimpleRNNLayer"/>)
/// states its gate count, saved size and formula. <c>Bidirectional</c> adds a reverse direction, PyTorch's
/// <c>bidirectional=True</c>: its tensors are named <c>…_reverse</c> and each lies right after its forward
/// one (so one span holds both), and every output width doubles. The device runs the same loop
/// (RecurrentLayer.Device.cs; each cell's gate maths beside its formula, the step kernels' frame in <see cref="GpuRecurrentKernels"/>).
/// </summary>
internal abstract partial class RecurrentLayer : UnaryLayerKind
{
    private const string WeightIh = "weight_ih", WeightHh = "weight_hh", BiasIh = "bias_ih", BiasHh = "bias_hh", Reverse = "_reverse";

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
            Bidirectional = arguments.Bool("Bidirectional", false),
            MaskPadding = arguments.Bool("MaskPadding", false),
            MaskPaddingLocation = arguments.LocationOf("MaskPadding"),
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
        if (recurrent.MaskPadding && input.Padding is null)
        {
            return ShapeResult.Fail(DiagnosticInfo.Create(DiagnosticDescriptors.MaskPaddingWithoutTokens, recurrent.MaskPaddingLocation ?? spec.Location, spec.PropertyName, producer));
        }

        // Only a masked layer passes the padding on: an unmasked one ran its state through the padded steps, so the steps after a sample's length hold real values there.
        var width = recurrent.Directions * recurrent.Hidden;
        return ShapeResult.Ok(recurrent.ReturnSequences ? Shape.Of(input[0], width) with { IsSequence = true, Padding = recurrent.MaskPadding ? input.Padding : null } : Shape.Of(width));
    }

    public override IEnumerable<ParameterTensor> Parameters(LayerSpec spec, Shape input, Shape output)
    {
        var recurrent = (RecurrentSpec)spec;
        int hidden = recurrent.Hidden, features = input[1];
        foreach (var (name, constant, shape) in new[] { (WeightIh, "WeightIh", Shape.Of(Gates * hidden, features)), (WeightHh, "WeightHh", Shape.Of(Gates * hidden, hidden)), (BiasIh, "BiasIh", Shape.Of(Gates * hidden)), (BiasHh, "BiasHh", Shape.Of(Gates * hidden)) })
        {
            yield return Tensor(recurrent, recurrent.TensorName(name), constant, shape, hidden);
            if (recurrent.Bidirectional)
            {
                yield return Tensor(recurrent, recurrent.TensorName(name) + Reverse, constant + "Reverse", shape, hidden); // right after the forward one: the runtime reads both as one span
            }
        }
    }

    // A stack's tensors are all named after the declared property (name is the state_dict suffix, e.g. weight_ih_l1_reverse), the layer's constants suffixed L0, L1, ….
    private static ParameterTensor Tensor(RecurrentSpec spec, string name, string constant, Shape shape, int hidden) =>
        new(spec.StateName + "." + name, (spec.Stack ?? spec.PropertyName) + constant + (spec.Stack is null ? string.Empty : "L" + spec.Layer), 0, shape, InitKind.RecurrentUniform, hidden, shape[0]);

    // The time loop's values per direction, then each sample's length when MaskPadding (see EmitLengths).
    public override int SavedPerSample(LayerSpec spec, Shape input, Shape output) =>
        checked((((RecurrentSpec)spec).Directions * SavedPerSample(input[0], ((RecurrentSpec)spec).Hidden)) + (((RecurrentSpec)spec).MaskPadding ? 1 : 0));

    public override string Describe(LayerSpec spec, Shape input, Shape output)
    {
        var recurrent = (RecurrentSpec)spec;
        return $"{input[0]} steps × {input[1]} → {recurrent.Hidden}, " + (recurrent.ReturnSequences ? "every step" : "last step") + (recurrent.Bidirectional ? ", both directions" : string.Empty) + (recurrent.NumLayers > 1 ? $", layer {recurrent.Layer} of {recurrent.NumLayers}" : string.Empty);
    }

    // Per step: two products with gates·hidden outputs (inputs and recurrent state), two bias adds.
    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output)
    {
        long hidden = ((RecurrentSpec)spec).Hidden;
        return ((RecurrentSpec)spec).Directions * input[0] * ((2 * Gates * hidden * (input[1] + hidden)) + (2 * Gates * hidden));
    }

    public override void EmitForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var recurrent = (RecurrentSpec)plan.Layer;
        int steps = plan.Input[0], features = plan.Input[1];
        var (gates, state) = Formula(recurrent, features);
        writer.Line("// " + gates);
        if (recurrent.Bidirectional)
        {
            writer.Line($"// {state} for t < {steps}, and again with the …_reverse tensors for t from {steps - 1} down to 0;");
            writer.Line($"// y{plan.Output.WithBatch} = " + (recurrent.ReturnSequences ? "every step's [h_t, h_t_reverse]" : "[h_last, h_reverse after step 0], PyTorch's h_n of both directions") + ".");
        }
        else
        {
            writer.Line($"// {state} for t < {steps}; y{plan.Output.WithBatch} = " + (recurrent.ReturnSequences ? "every h_t" : "h_last") + ".");
        }

        writer.Line($"// x · {recurrent.TensorName(WeightIh)}ᵀ for every step is one product; per step one product with h_{{t−1}} and one fused gate pass.");
        if (recurrent.MaskPadding)
        {
            var embedding = Embedding(context);
            writer.Line($"// Each sample's length: one past its last token id other than {embedding.Layer.PropertyName}'s padding id {embedding.Padding}; from there on its steps change");
            writer.Line("// neither the state nor any gradient and their outputs are zero (PyTorch's packed sequences).");
            writer.Line($"var lengths = {context.Saved}[^batch..];");
            writer.Line($"global::NetGen.RecurrentLayer.LengthsFromPadding<float>(layer: \"{recurrent.StateName}\", tokens: {embedding.Tokens.Input}, padding: {embedding.Padding}f, lengths: lengths, batch: batch, steps: {steps});");
        }

        writer.Line($"global::{RuntimeType}.Forward<float>(x: {context.Input}, weightIh: {Both(context, recurrent.TensorName(WeightIh))}, weightHh: {Both(context, recurrent.TensorName(WeightHh))}, biasIh: {Both(context, recurrent.TensorName(BiasIh))}, biasHh: {Both(context, recurrent.TensorName(BiasHh))}, y: {context.Output}, saved: {context.Saved}, batch: batch, steps: {steps}, inputs: {features}, hidden: {recurrent.Hidden}, returnSequences: {(recurrent.ReturnSequences ? "true" : "false")}{CellArguments(recurrent)}{DirectionArgument(recurrent)}{LengthsArgument(recurrent)});");
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var recurrent = (RecurrentSpec)plan.Layer;
        string weightIh = recurrent.TensorName(WeightIh), weightHh = recurrent.TensorName(WeightHh);
        writer.Line($"// Backward through time{(recurrent.Bidirectional ? ", each direction" : string.Empty)}: per step dz from {Carried} (fused), d{weightHh} += dzᵀ · h_{{t−1}}, dh_{{t−1}} = dz · {weightHh};");
        writer.Line($"// then d{weightIh} = dzᵀ · x, dbias = Σ dz and " + (context.ProducerActivation == ActivationKind.None ? $"dx = dz · {weightIh}" : $"dx = (dz · {weightIh}) ⊙ {context.ProducerActivation}′ fused in the epilogue") + " over every step at once.");
        if (recurrent.MaskPadding)
        {
            writer.Line($"var lengths = {context.Saved}[^batch..]; // as forward found them");
        }

        writer.Line($"global::{RuntimeType}.Backward<float>(dy: {context.OutputGradient}, x: {context.Input}, weightIh: {Both(context, weightIh)}, weightHh: {Both(context, weightHh)}, saved: {context.Saved}, weightIhGradient: {BothGradients(context, weightIh)}, weightHhGradient: {BothGradients(context, weightHh)}, biasIhGradient: {BothGradients(context, recurrent.TensorName(BiasIh))}, biasHhGradient: {BothGradients(context, recurrent.TensorName(BiasHh))}, dx: {context.InputGradient}, batch: batch, steps: {plan.Input[0]}, inputs: {plan.Input[1]}, hidden: {recurrent.Hidden}, returnSequences: {(recurrent.ReturnSequences ? "true" : "false")}{CellArguments(recurrent)}, previousActivation: {ActivationTable.Of(context.ProducerActivation).Literal}, previousSaved: {context.ProducerSaved}{DirectionArgument(recurrent)}{LengthsArgument(recurrent)});");
    }

    /// <summary>
    /// The Embedding whose token ids give a masked layer its lengths (the one its input's padding comes from, read
    /// directly or through per-step layers and masked recurrent layers), the context of its node (whose input is
    /// the ids) and its padding id. Each masked layer finds the lengths again from the ids: a few comparisons
    /// per step, where passing them along would tie each layer's saved region to another's.
    /// </summary>
    internal static (LayerSpec Layer, LayerContext Tokens, int Padding) Embedding(LayerContext context)
    {
        var padding = context.Plan.Input.Padding!;
        var index = Enumerable.Range(0, context.Index).First(i => context.Network.Layers[i].Layer.PropertyName == padding.Layer); // the planner orders producers first
        return (context.Network.Layers[index].Layer, new LayerContext(context.Network, index), padding.Id);
    }

    private static string LengthsArgument(RecurrentSpec spec) => spec.MaskPadding ? ", lengths: lengths" : string.Empty;

    private static string DirectionArgument(RecurrentSpec spec) => spec.Bidirectional ? ", bidirectional: true" : string.Empty;

    private static string Both(LayerContext context, string suffix) => Both(context, suffix, context.Parameter(suffix));

    private static string BothGradients(LayerContext context, string suffix) => Both(context, suffix, context.ParameterGradient(suffix));

    // The span of a tensor widened, when bidirectional, over its reverse twin right after it (same length).
    private static string Both(LayerContext context, string suffix, string span)
    {
        var length = context.ParameterConstant(suffix) + "Length)";
        return ((RecurrentSpec)context.Plan.Layer).Bidirectional ? span.Replace(length, "2 * " + length) : span;
    }

    public override string ViewConstruction(LayerContext context) =>
        $"new global::{RuntimeType}(name: \"{context.Plan.Layer.StateName}\", parameters: _parameters, gradients: {context.GradientBuffer}, offset: {context.ParameterConstant(((RecurrentSpec)context.Plan.Layer).TensorName(WeightIh))}, hidden: {((RecurrentSpec)context.Plan.Layer).Hidden}, inputs: {context.Plan.Input[1]}{DirectionArgument((RecurrentSpec)context.Plan.Layer)})";
}
