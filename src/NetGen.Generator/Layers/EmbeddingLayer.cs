using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>A bound <c>[Embedding(vocabulary, dimension)]</c>.</summary>
internal sealed record EmbeddingSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location, int Vocabulary, int Dimension, int PaddingIndex)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => "Embedding";

    /// <summary>Where the vocabulary is written (NG0121 points there, and its fix rewrites it).</summary>
    public LocationInfo? VocabularyLocation { get; init; }
}

/// <summary>
/// Embedding: the network input's token ids <c>[*, steps]</c> → <c>[*, steps, dimension]</c>, weight
/// <c>[vocabulary, dimension]</c> (PyTorch's <c>nn.Embedding</c>). Forward copies rows (ids checked at
/// run time); backward scatters the output gradient into the rows used; ids have no gradient. Only the
/// network input holds ids, so an Embedding reading anything else is NG0101. Numerics: the runtime's
/// <c>NetGen.Embedding</c>; on a device, <see cref="GpuEmbeddingKernels"/>, with the ids checked on the host first.
/// </summary>
internal sealed class EmbeddingLayer : UnaryLayerKind
{
    public override string AttributeMetadataName => "NetGen.EmbeddingAttribute";

    public override string RuntimeType => "NetGen.Embedding";

    public override bool ReadsTokenIds => true;

    public override LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics)
    {
        foreach (var name in new[] { "vocabulary", "dimension" })
        {
            var value = arguments.Int(name, 0);
            if (value <= 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.LocationOf(name), declaration.PropertyName, $"Embedding {name} must be positive, got {value}"));
                return null;
            }
        }

        var vocabulary = arguments.Int("vocabulary", 0);
        var padding = arguments.Int("PaddingIndex", -1);
        if (padding < -1 || padding >= vocabulary)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.LocationOf("PaddingIndex"), declaration.PropertyName, $"Embedding PaddingIndex must be a token id in [0, {vocabulary}) or -1 for none, got {padding}"));
            return null;
        }

        return new EmbeddingSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location, vocabulary, arguments.Int("dimension", 0), padding) { VocabularyLocation = arguments.LocationOf("vocabulary") };
    }

    public override ShapeResult InferShape(LayerSpec spec, Shape input, string producer)
    {
        if (producer != InputReference.NetworkInput || input.Rank != 1)
        {
            var hint = producer != InputReference.NetworkInput
                ? $"; only the network input holds token ids: declare '{spec.PropertyName}' first, or read it with Input = LayerAttribute.NetworkInput"
                : $"; declare the input as [Input(steps)] of token ids";
            return ShapeResult.Fail(DiagnosticInfo.Create(DiagnosticDescriptors.InputRankMismatch, spec.Location, spec.PropertyName, "Embedding", "token ids [steps] from the network input", producer, input.ToString(), hint));
        }

        var embedding = (EmbeddingSpec)spec;
        if (input.Tokens is { } tokens && tokens.Vocabulary > embedding.Vocabulary)
        {
            return ShapeResult.Fail(DiagnosticInfo.Create(DiagnosticDescriptors.EmbeddingVocabularyTooSmall, embedding.VocabularyLocation ?? spec.Location, spec.PropertyName, embedding.Vocabulary, producer, tokens.Vocabulary));
        }

        return ShapeResult.Ok(Shape.Of(input[0], embedding.Dimension) with { Padding = embedding.PaddingIndex >= 0 ? new TokenPadding(spec.PropertyName, embedding.PaddingIndex) : null });
    }

    // Glorot uniform over [vocabulary, dimension] (PyTorch draws N(0, 1), Keras U(±0.05)): small rows for a recurrent layer to read.
    public override IEnumerable<ParameterTensor> Parameters(LayerSpec spec, Shape input, Shape output)
    {
        var embedding = (EmbeddingSpec)spec;
        yield return new ParameterTensor(spec.StateName + ".weight", spec.PropertyName + "Weight", 0, Shape.Of(embedding.Vocabulary, embedding.Dimension), InitKind.GlorotUniform, embedding.Vocabulary, embedding.Dimension) { ZeroRow = embedding.PaddingIndex };
    }

    public override string Describe(LayerSpec spec, Shape input, Shape output)
    {
        var embedding = (EmbeddingSpec)spec;
        return $"{input[0]} tokens of {embedding.Vocabulary} → {embedding.Dimension} each" + (embedding.PaddingIndex >= 0 ? $", padding {embedding.PaddingIndex}" : string.Empty);
    }

    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output) => 0;

    public override void EmitForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var embedding = (EmbeddingSpec)plan.Layer;
        writer.Line($"// y{plan.Output.WithBatch}[b, t] = weight[{embedding.Vocabulary}, {embedding.Dimension}][tokens{plan.Input.WithBatch}[b, t]]; an id outside [0, {embedding.Vocabulary}) throws.");
        writer.Line($"global::NetGen.Embedding.Forward<float>(layer: \"{plan.Layer.StateName}\", tokens: {context.Input}, weight: {context.Parameter("weight")}, y: {context.Output}, count: batch * {plan.Input[0]}, vocabulary: {embedding.Vocabulary}, dimension: {embedding.Dimension});");
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var embedding = (EmbeddingSpec)plan.Layer;
        writer.Line("// dweight[v] = Σ dy over the positions holding token v" + (embedding.PaddingIndex >= 0 ? $", except the padding row {embedding.PaddingIndex}" : string.Empty) + "; token ids have no gradient.");
        writer.Line($"global::NetGen.Embedding.Backward<float>(dy: {context.OutputGradient}, tokens: {context.Input}, weightGradient: {context.ParameterGradient("weight")}, count: batch * {plan.Input[0]}, dimension: {embedding.Dimension}, paddingIndex: {embedding.PaddingIndex});");
    }

    public override IEnumerable<string> DeviceKernels(LayerPlan plan) => [GpuEmbeddingKernels.Source];

    public override void EmitDeviceInputCheck(LayerContext context, SourceWriter writer)
    {
        var embedding = (EmbeddingSpec)context.Plan.Layer;
        writer.Line($"// {embedding.StateName}: every input value must be a token id in [0, {embedding.Vocabulary}), as on the CPU.");
        writer.Line($"global::NetGen.Embedding.CheckTokens<float>(layer: \"{embedding.StateName}\", tokens: inputs, vocabulary: {embedding.Vocabulary});");
    }

    public override void EmitDeviceForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var embedding = (EmbeddingSpec)plan.Layer;
        writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch}[b, t] = weight[{embedding.Vocabulary}, {embedding.Dimension}][tokens{plan.Input.WithBatch}[b, t]]");
        writer.Line($"Launch(\"embedding_forward\", batch * {plan.Output.Size}, /* tokens */ {context.Device.Input}, /* weight */ Parameters, {context.ParameterConstant("weight")}, /* y */ {context.Device.Output}, /* count, vocabulary, dimension */ batch * {plan.Input[0]}, {embedding.Vocabulary}, {embedding.Dimension});");
    }

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var device = context.Device;
        var embedding = (EmbeddingSpec)plan.Layer;
        var size = embedding.Vocabulary * embedding.Dimension;
        writer.Line($"// {plan.Layer.StateName}: dweight[v] = Σ dy over the positions holding token v, in order, one thread per column" + (embedding.PaddingIndex >= 0 ? $"; the padding row {embedding.PaddingIndex} stays zero" : string.Empty) + "; token ids have no gradient.");
        writer.Line($"Launch(\"fill_zero\", {size}, /* dweight */ {device.ParameterGradients}, {device.ParameterGradientOffset("weight")}, /* count */ {size});");
        writer.Line($"Launch(\"embedding_backward\", {embedding.Dimension}, /* dy */ {device.OutputGradient}, /* tokens */ {device.Input}, /* dweight */ {device.ParameterGradients}, {device.ParameterGradientOffset("weight")}, /* count, vocabulary, dimension */ batch * {plan.Input[0]}, {embedding.Vocabulary}, {embedding.Dimension}, /* padding */ {embedding.PaddingIndex});");
    }

    public override string ViewConstruction(LayerContext context)
    {
        var embedding = (EmbeddingSpec)context.Plan.Layer;
        return $"new global::NetGen.Embedding(name: \"{embedding.StateName}\", parameters: _parameters, gradients: {context.GradientBuffer}, weightOffset: {context.ParameterConstant("weight")}, vocabulary: {embedding.Vocabulary}, dimension: {embedding.Dimension})";
    }
}
