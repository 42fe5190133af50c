using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>A bound <c>[Flatten]</c>.</summary>
internal sealed record FlattenSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => "Flatten";
}

/// <summary>
/// Flatten: <c>[*, d1, …, dn] → [*, d1·…·dn]</c>. Row-major layout makes this a reinterpretation, so
/// the planner gives it its input's buffer and neither pass does any work.
/// </summary>
internal sealed class FlattenLayer : UnaryLayerKind
{
    public override string AttributeMetadataName => "NetGen.FlattenAttribute";

    public override string RuntimeType => "NetGen.Flatten";

    public override bool IsReshape => true;

    public override LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics) =>
        new FlattenSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location);

    public override ShapeResult InferShape(LayerSpec spec, Shape input, string producer) => ShapeResult.Ok(Shape.Of(input.Size));

    public override string Describe(LayerSpec spec, Shape input, Shape output) => $"{input} → {output}";

    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output) => 0;

    public override void EmitForward(LayerContext context, SourceWriter writer) =>
        writer.Line($"// No work: {context.Plan.Input.WithBatch} is read as {context.Plan.Output.WithBatch} from the same buffer.");

    public override void EmitBackward(LayerContext context, SourceWriter writer) =>
        writer.Line("// No work: the gradient shares the input gradient's buffer.");

    public override void EmitDeviceForward(LayerContext context, SourceWriter writer) =>
        writer.Line($"// {context.Plan.Layer.StateName}: {context.Plan.Input.WithBatch} → {context.Plan.Output.WithBatch} reinterprets its input; no launch.");

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer) =>
        writer.Line($"// {context.Plan.Layer.StateName}: its input gradient is its output gradient (same buffer).");

    public override bool EmitOnnx(OnnxNodeContext context, SourceWriter writer)
    {
        writer.Line(context.Node("Flatten", OnnxNodeContext.Names(context.Input), ints: "[(\"axis\", 1)]"));
        return true;
    }

    public override string ViewConstruction(LayerContext context) => $"new global::NetGen.Flatten(name: \"{context.Plan.Layer.StateName}\")";
}
