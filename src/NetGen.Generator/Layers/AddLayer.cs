using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>A bound <c>[Add(first, second, activation)]</c>; its two inputs are the spec's <see cref="LayerSpec.Inputs"/>.</summary>
internal sealed record AddSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location, ActivationKind Activation)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => "Add";
}

/// <summary>
/// Add: <c>[*, s] + [*, s] → [*, s]</c>, then an elementwise activation: a residual connection's join.
/// Forward is one pass; backward hands <c>dz</c> to each input, each through its own producer's
/// activation derivative (one pass per input). Numerics live in the runtime's <c>NetGen.Add</c>.
/// </summary>
internal sealed class AddLayer : LayerKind
{
    public override string AttributeMetadataName => "NetGen.AddAttribute";

    public override string RuntimeType => "NetGen.Add";

    public override bool NamesItsInputs => true;

    public override LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics)
    {
        var first = MergeInputs.Named(arguments, "first", "Add", declaration, diagnostics);
        var second = MergeInputs.Named(arguments, "second", "Add", declaration, diagnostics);
        var value = arguments.Int("activation", 0);
        var known = ActivationTable.TryRead(value, out var activation);
        if (!known || !ActivationTable.Of(activation).IsElementwise)
        {
            var why = known ? $"Add activation must be elementwise ({ActivationTable.ElementwiseNames()}), not {activation}" : $"{value} is not an Activation value";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.LocationOf("activation"), declaration.PropertyName, why));
            return null;
        }

        return first is null || second is null
            ? null
            : new AddSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location, activation) { Inputs = EquatableArray.Create(first, second) };
    }

    public override ShapeResult InferShape(LayerSpec spec, IReadOnlyList<NamedShape> inputs)
    {
        var (first, second) = (inputs[0], inputs[1]);
        if (first.Shape == second.Shape)
        {
            return ShapeResult.Ok(first.Shape);
        }

        var hint = first.Shape.Size == second.Shape.Size
            ? "the shapes must be equal, not merely the same size"
            : first.Shape.Rank == 3 && second.Shape.Rank == 3
                ? "the shapes must be equal; where a residual branch changes channels or resolution, give the shortcut a 1×1 Conv2D projection with the same filters and stride"
                : "the shapes must be equal";
        return ShapeResult.Fail(DiagnosticInfo.Create(DiagnosticDescriptors.MergeShapeMismatch, second.Location ?? spec.Location, spec.PropertyName, "Add", first.Name, first.Shape, second.Name, second.Shape, hint));
    }

    public override ActivationKind Activation(LayerSpec spec) => ((AddSpec)spec).Activation;

    public override string Describe(LayerSpec spec, Shape input, Shape output) =>
        "elementwise sum" + (((AddSpec)spec).Activation == ActivationKind.None ? string.Empty : ", " + ((AddSpec)spec).Activation);

    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output) => output.Size;

    public override void EmitForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var sum = $"{plan.Inputs[0].ProducerName}{plan.Output.WithBatch} + {plan.Inputs[1].ProducerName}{plan.Output.WithBatch}";
        writer.Line($"// y{plan.Output.WithBatch} = " + (plan.Activation == ActivationKind.None ? sum : $"{plan.Activation}({sum})") + ", in one pass");
        writer.Line($"global::NetGen.Add.Forward<float>(a: {context.InputAt(0)}, b: {context.InputAt(1)}, y: {context.Output}, preActivation: {context.PreActivation}, count: batch * {plan.Output.Size}, activation: {ActivationTable.Of(plan.Activation).Literal});");
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        for (var edge = 0; edge < plan.Inputs.Count; edge++)
        {
            var activation = context.ProducerActivationAt(edge);
            writer.Line($"// d{plan.Inputs[edge].ProducerName} = dz" + (activation == ActivationKind.None ? string.Empty : $" ⊙ {activation}′"));
            if (ActivationTable.Of(activation).IsElementwise)
            {
                writer.Line($"global::NetGen.Add.Backward<float>(dz: {context.OutputGradient}, dx: {context.InputGradientAt(edge)}, count: batch * {plan.Output.Size}, previousActivation: {ActivationTable.Of(activation).Literal}, previousSaved: {context.ProducerSavedAt(edge)});");
                continue;
            }

            // A row-wise producer (Softmax): Add's pass knows no rows, so its derivative follows in a pass of its own.
            writer.Line($"global::NetGen.Add.Backward<float>(dz: {context.OutputGradient}, dx: {context.InputGradientAt(edge)}, count: batch * {plan.Output.Size}, previousActivation: {ActivationTable.Of(ActivationKind.None).Literal}, previousSaved: default);");
            writer.Line($"global::NetGen.Kernels.GradientSum.Finish<float>(gradient: {context.InputGradientAt(edge)}, rows: batch, width: {plan.Output.Size}, activation: {ActivationTable.Of(activation).Literal}, saved: {context.ProducerSavedAt(edge)});");
        }
    }

    public override IEnumerable<string> DeviceKernels(LayerPlan plan) => [GpuGraphKernels.Add];

    public override void EmitDeviceForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var device = context.Device;
        var count = $"batch * {plan.Output.Size}";
        var sum = $"{plan.Inputs[0].ProducerName} + {plan.Inputs[1].ProducerName}";
        writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch} = " + (plan.Activation == ActivationKind.None ? sum : $"{plan.Activation}({sum}), the activation in place after the sum"));
        writer.Line($"Launch(\"add_forward\", {count}, /* a */ {device.InputAt(0)}, /* b */ {device.InputAt(1)}, /* y */ {device.Output}, /* count */ {count});");
        if (plan.Activation != ActivationKind.None)
        {
            writer.Line($"Launch(\"{GpuKernelRenderer.Epilogue(plan.Activation)}\", {count}, /* y */ {device.Output}, /* pre */ {device.PreActivation}, /* no bias */ Parameters, 0, 0, /* rows, columns */ batch, {plan.Output.Size});");
        }
    }

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var device = context.Device;
        var count = $"batch * {plan.Output.Size}";
        for (var edge = 0; edge < plan.Inputs.Count; edge++)
        {
            if (!device.NeedsInputGradientAt(edge))
            {
                writer.Line($"// {plan.Layer.StateName}: d{plan.Inputs[edge].ProducerName} is not computed (the network input needs no gradient).");
                continue;
            }

            writer.Line($"// {plan.Layer.StateName}: d{plan.Inputs[edge].ProducerName} = dz{context.DerivativeNote(edge)}");
            writer.Line($"Launch(\"add_backward\", {count}, /* dz */ {device.OutputGradient}, /* dx */ {device.InputGradientAt(edge)}, /* count */ {count});");
            device.EmitProducerDerivative(writer, edge, plan.Output.Size);
        }
    }

    public override bool EmitOnnx(OnnxNodeContext context, SourceWriter writer)
    {
        writer.Line(context.Node("Add", OnnxNodeContext.Names(context.InputAt(0), context.InputAt(1))));
        return true;
    }

    public override string ViewConstruction(LayerContext context) => $"new global::NetGen.Add(name: \"{context.Plan.Layer.StateName}\")";
}
