using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>A bound <c>[GlobalAveragePool2D]</c>.</summary>
internal sealed record GlobalAveragePool2DSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => "GlobalAveragePool2D";
}

/// <summary>
/// GlobalAveragePool2D: <c>[*, C, H, W] → [*, C]</c>, each channel's mean. Backward spreads
/// <c>dy / (H·W)</c> over the channel and applies the producer's activation derivative. Numerics
/// live in the runtime's <c>NetGen.GlobalAveragePool2D</c>.
/// </summary>
internal sealed class GlobalAveragePool2DLayer : UnaryLayerKind
{
    public override string AttributeMetadataName => "NetGen.GlobalAveragePool2DAttribute";

    public override string RuntimeType => "NetGen.GlobalAveragePool2D";

    public override LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics) =>
        new GlobalAveragePool2DSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location);

    public override ShapeResult InferShape(LayerSpec spec, Shape input, string producer) =>
        ImageWindows.RequireImage(spec, input, producer) is { } notImage ? ShapeResult.Fail(notImage) : ShapeResult.Ok(Shape.Of(input[0]));

    public override string Describe(LayerSpec spec, Shape input, Shape output) => $"{input} → {output}";

    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output) => input.Size;

    public override void EmitForward(CpuLayerContext context, SourceWriter writer)
    {
        var input = context.Plan.Input;
        writer.Line($"// y{context.Plan.Output.WithBatch} = the mean of each channel's {input[1]}×{input[2]} image of x{input.WithBatch}");
        writer.Line($"global::NetGen.GlobalAveragePool2D.Forward<float>({context.Input}, {context.Output}, batch, {input[0]}, {input[1] * input[2]});");
    }

    public override void EmitBackward(CpuLayerContext context, SourceWriter writer)
    {
        var input = context.Plan.Input;
        var derivative = context.ProducerActivation == ActivationKind.None ? string.Empty : $" ⊙ {context.ProducerActivation}′";
        writer.Line($"// dx = dy / {input[1] * input[2]} over each channel{derivative}");
        writer.Line($"global::NetGen.GlobalAveragePool2D.Backward<float>({context.OutputGradient}, {context.InputGradient}, batch, {input[0]}, {input[1] * input[2]}, {ActivationTable.Of(context.ProducerActivation).Literal}, {context.ProducerSaved});");
    }

    public override string ViewConstruction(CpuLayerContext context) => $"new global::NetGen.GlobalAveragePool2D(\"{context.Plan.Layer.StateName}\")";
}
