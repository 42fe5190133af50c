using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>A bound <c>[Identity]</c>.</summary>
internal sealed record IdentitySpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => "Identity";
}

/// <summary>
/// Identity: any shape, unchanged, like <c>nn.Identity</c>. The planner gives it its input's buffer (as
/// Flatten), so neither pass does any work; a layer reading it reads its input.
/// </summary>
internal sealed class IdentityLayer : UnaryLayerKind
{
    public override string AttributeMetadataName => "NetGen.IdentityAttribute";

    public override string RuntimeType => "NetGen.Identity";

    public override bool IsReshape => true;

    public override LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics) =>
        new IdentitySpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location);

    public override ShapeResult InferShape(LayerSpec spec, Shape input, string producer) => ShapeResult.Ok(input);

    public override string Describe(LayerSpec spec, Shape input, Shape output) => $"{input}";

    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output) => 0;

    public override void EmitForward(CpuLayerContext context, SourceWriter writer) =>
        writer.Line($"// No work: the output is the input {context.Plan.Input.WithBatch}, in the same buffer.");

    public override void EmitBackward(CpuLayerContext context, SourceWriter writer) =>
        writer.Line("// No work: the gradient shares the input gradient's buffer.");

    public override string ViewConstruction(CpuLayerContext context) => $"new global::NetGen.Identity(\"{context.Plan.Layer.StateName}\")";
}
