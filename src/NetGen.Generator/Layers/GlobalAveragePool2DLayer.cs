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

    public override void EmitForward(LayerContext context, SourceWriter writer)
    {
        var input = context.Plan.Input;
        writer.Line($"// y{context.Plan.Output.WithBatch} = the mean of each channel's {input[1]}×{input[2]} image of x{input.WithBatch}");
        writer.Line($"global::NetGen.GlobalAveragePool2D.Forward<float>(x: {context.Input}, y: {context.Output}, batch: batch, channels: {input[0]}, plane: {input[1] * input[2]});");
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        var input = context.Plan.Input;
        var derivative = context.ProducerActivation == ActivationKind.None ? string.Empty : $" ⊙ {context.ProducerActivation}′";
        writer.Line($"// dx = dy / {input[1] * input[2]} over each channel{derivative}");
        writer.Line($"global::NetGen.GlobalAveragePool2D.Backward<float>(dy: {context.OutputGradient}, dx: {context.InputGradient}, batch: batch, channels: {input[0]}, plane: {input[1] * input[2]}, previousActivation: {ActivationTable.Of(context.ProducerActivation).Literal}, previousSaved: {context.ProducerSaved});");
    }

    public override IEnumerable<string> DeviceKernels(LayerPlan plan) => [GpuImageKernels.GlobalAveragePool];

    public override void EmitDeviceForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch} = the mean of each channel of x{plan.Input.WithBatch}");
        writer.Line($"Launch(\"global_average_pool\", batch * {plan.Input[0]}, /* x */ {context.Device.Input}, /* y */ {context.Device.Output}, /* images, plane */ batch * {plan.Input[0]}, {plan.Input[1] * plan.Input[2]});");
    }

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var device = context.Device;
        if (!device.NeedsInputGradient)
        {
            writer.Line($"// {plan.Layer.StateName}: no work; the input needs no gradient and pooling has no parameters.");
            return;
        }

        writer.Line($"// {plan.Layer.StateName}: dx = dy / {plan.Input[1] * plan.Input[2]} over each channel{context.DerivativeNote()}");
        writer.Line($"Launch(\"global_average_pool_backward\", batch * {plan.Input.Size}, /* dy */ {device.OutputGradient}, /* dx */ {device.InputGradient}, /* images, plane */ batch * {plan.Input[0]}, {plan.Input[1] * plan.Input[2]});");
        device.EmitProducerDerivative(writer, 0, plan.Input.Size);
    }

    public override bool EmitOnnx(OnnxNodeContext context, SourceWriter writer)
    {
        // ONNX keeps the pooled [C, 1, 1]; NetGen's output is the vector [C].
        var pooled = context.Name + ".pooled";
        writer.Line(context.Node("GlobalAveragePool", OnnxNodeContext.Names(context.Input), output: pooled, step: "pool"));
        writer.Line(context.Node("Flatten", OnnxNodeContext.Names(pooled), ints: "[(\"axis\", 1)]"));
        return true;
    }

    public override string ViewConstruction(LayerContext context) => $"new global::NetGen.GlobalAveragePool2D(name: \"{context.Plan.Layer.StateName}\")";
}
