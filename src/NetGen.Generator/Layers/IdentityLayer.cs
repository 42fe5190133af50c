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

    public override string Describe(LayerSpec spec, Shape input, Shape output) => "passes its input on";

    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output) => 0;

    public override void EmitForward(LayerContext context, SourceWriter writer) =>
        writer.Line($"// No work: the output is the input {context.Plan.Input.WithBatch}, in the same buffer.");

    public override void EmitBackward(LayerContext context, SourceWriter writer) =>
        writer.Line("// No work: the gradient shares the input gradient's buffer.");

    public override void EmitDeviceForward(LayerContext context, SourceWriter writer) =>
        writer.Line($"// {context.Plan.Layer.StateName}: {context.Plan.Input.WithBatch} → {context.Plan.Output.WithBatch} is its input; no launch.");

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer) =>
        writer.Line($"// {context.Plan.Layer.StateName}: its input gradient is its output gradient (same buffer).");

    public override bool EmitOnnx(OnnxNodeContext context, SourceWriter writer)
    {
        writer.Line(context.Node("Identity", OnnxNodeContext.Names(context.Input)));
        return true;
    }

    public override string ViewConstruction(LayerContext context) => $"new global::NetGen.Identity(name: \"{context.Plan.Layer.StateName}\")";
}
