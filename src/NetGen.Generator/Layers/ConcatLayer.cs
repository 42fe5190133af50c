using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>A bound <c>[Concat(inputs…)]</c>; its inputs are the spec's <see cref="LayerSpec.Inputs"/>.</summary>
internal sealed record ConcatSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => "Concat";
}

/// <summary>
/// Concat: joins its inputs along the first per-sample axis, like <c>torch.cat(dim=1)</c>: channels of
/// images <c>[Cᵢ, H, W] → [ΣCᵢ, H, W]</c>, features of vectors <c>[Fᵢ] → [ΣFᵢ]</c>. Row-major layout makes
/// each input one contiguous block per sample, so forward copies each input into its place and backward
/// gathers each block back (with that input's producer derivative fused). Numerics live in the runtime's
/// <c>NetGen.Concat</c>.
/// </summary>
internal sealed class ConcatLayer : LayerKind
{
    public override string AttributeMetadataName => "NetGen.ConcatAttribute";

    public override string RuntimeType => "NetGen.Concat";

    public override bool NamesItsInputs => true;

    public override LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics)
    {
        var argument = arguments.Find("inputs");
        var names = argument is { Kind: ArgumentKind.StringArray } ? argument.Texts : EquatableArray<NullableText>.Empty;
        if (names.Count < 2)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.AttributeLocation, declaration.PropertyName, $"Concat needs at least two inputs, got {names.Count}"));
            return null;
        }

        var inputs = new List<InputReference>();
        for (var i = 0; i < names.Count; i++)
        {
            var location = i < argument!.ElementLocations.Count ? argument.ElementLocations[i] : argument.Location;
            if (names[i].Value is { Length: > 0 } name)
            {
                inputs.Add(new InputReference(name, location));
            }
            else
            {
                diagnostics.Add(MergeInputs.Missing(location, "Concat", $"input {i}", declaration));
            }
        }

        return inputs.Count < names.Count
            ? null
            : new ConcatSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location) { Inputs = inputs.ToEquatableArray() };
    }

    public override ShapeResult InferShape(LayerSpec spec, IReadOnlyList<NamedShape> inputs)
    {
        var first = inputs[0];
        foreach (var other in inputs.Skip(1))
        {
            if (Problem(first.Shape, other.Shape) is { } problem)
            {
                return ShapeResult.Fail(DiagnosticInfo.Create(DiagnosticDescriptors.MergeShapeMismatch, other.Location ?? spec.Location, spec.PropertyName, "Concat", first.Name, first.Shape, other.Name, other.Shape, problem));
            }
        }

        var joined = first.Shape.Dimensions.ToArray();
        joined[0] = inputs.Sum(i => i.Shape[0]);
        return ShapeResult.Ok(Shape.Of(joined));
    }

    /// <summary>Why two tensors cannot be joined along their first axis, or null when they can.</summary>
    private static string? Problem(Shape first, Shape other)
    {
        if (first.Rank != other.Rank)
        {
            return "Concat joins tensors of one rank along their first axis (channels of images, features of vectors)";
        }

        return first.Dimensions.Skip(1).SequenceEqual(other.Dimensions.Skip(1))
            ? null
            : $"Concat joins along the first axis, so every other axis must agree ({string.Join(" × ", first.Dimensions.Skip(1))} against {string.Join(" × ", other.Dimensions.Skip(1))}); pool or stride the larger one first";
    }

    public override string Describe(LayerSpec spec, Shape input, Shape output) => output.Rank == 3 ? "along channels" : "along the first axis";

    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output) => 0;

    public override void EmitForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        writer.Line($"// y{plan.Output.WithBatch} = " + string.Join(" ‖ ", plan.Inputs.Select(i => i.ProducerName + i.Shape.WithBatch)) + ", each input copied into its block of every sample");
        var offset = 0;
        for (var edge = 0; edge < plan.Inputs.Count; edge++)
        {
            var size = plan.Inputs[edge].Shape.Size;
            writer.Line($"global::NetGen.Concat.Forward<float>(x: {context.InputAt(edge)}, y: {context.Output}, batch: batch, inputSize: {size}, outputSize: {plan.Output.Size}, offset: {offset});");
            offset += size;
        }
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var offset = 0;
        for (var edge = 0; edge < plan.Inputs.Count; edge++)
        {
            var input = plan.Inputs[edge];
            var activation = context.ProducerActivationAt(edge);
            writer.Line($"// d{input.ProducerName} = dy[{offset}..{offset + input.Shape.Size}) of each sample" + (activation == ActivationKind.None ? string.Empty : $" ⊙ {activation}′"));
            writer.Line($"global::NetGen.Concat.Backward<float>(dy: {context.OutputGradient}, dx: {context.InputGradientAt(edge)}, batch: batch, inputSize: {input.Shape.Size}, outputSize: {plan.Output.Size}, offset: {offset}, previousActivation: {ActivationTable.Of(activation).Literal}, previousSaved: {context.ProducerSavedAt(edge)});");
            offset += input.Shape.Size;
        }
    }

    public override IEnumerable<string> DeviceKernels(LayerPlan plan) => [GpuGraphKernels.Concat];

    public override void EmitDeviceForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch} = " + string.Join(" ‖ ", plan.Inputs.Select(i => i.ProducerName + i.Shape.WithBatch)) + ", each input copied into its block of every sample");
        var offset = 0;
        for (var edge = 0; edge < plan.Inputs.Count; edge++)
        {
            var size = plan.Inputs[edge].Shape.Size;
            writer.Line($"Launch(\"concat_forward\", batch * {size}, /* x */ {context.Device.InputAt(edge)}, /* y */ {context.Device.Output}, /* batch, inputSize, outputSize, offset */ batch, {size}, {plan.Output.Size}, {offset});");
            offset += size;
        }
    }

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var device = context.Device;
        var offset = 0;
        for (var edge = 0; edge < plan.Inputs.Count; edge++)
        {
            var input = plan.Inputs[edge];
            var size = input.Shape.Size;
            var block = $"dy[{offset}..{offset + size}) of each sample";
            offset += size;
            if (!device.NeedsInputGradientAt(edge))
            {
                writer.Line($"// {plan.Layer.StateName}: d{input.ProducerName} is not computed (the network input needs no gradient).");
                continue;
            }

            writer.Line($"// {plan.Layer.StateName}: d{input.ProducerName} = {block}{context.DerivativeNote(edge)}");
            writer.Line($"Launch(\"concat_backward\", batch * {size}, /* dy */ {device.OutputGradient}, /* dx */ {device.InputGradientAt(edge)}, /* batch, inputSize, outputSize, offset */ batch, {size}, {plan.Output.Size}, {offset - size});");
            device.EmitProducerDerivative(writer, edge, size);
        }
    }

    public override bool EmitOnnx(OnnxNodeContext context, SourceWriter writer)
    {
        // NetGen's first per-sample axis is ONNX's axis 1, after the batch.
        var inputs = OnnxNodeContext.Names(Enumerable.Range(0, context.Plan.Inputs.Count).Select(context.InputAt).ToArray());
        writer.Line(context.Node("Concat", inputs, ints: "[(\"axis\", 1)]"));
        return true;
    }

    public override string ViewConstruction(LayerContext context) => $"new global::NetGen.Concat(name: \"{context.Plan.Layer.StateName}\")";
}
