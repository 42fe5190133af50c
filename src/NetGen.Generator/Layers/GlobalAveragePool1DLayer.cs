using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>A bound <c>[GlobalAveragePool1D]</c>.</summary>
internal sealed record GlobalAveragePool1DSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => "GlobalAveragePool1D";
}

/// <summary>
/// GlobalAveragePool1D: <c>[*, steps, features] → [*, features]</c>, each feature's mean over the steps
/// (Keras' GlobalAveragePooling1D, PyTorch's <c>mean(dim=1)</c>). Backward spreads <c>dy / steps</c> over
/// every step and applies the producer's activation derivative. Numerics: the runtime's
/// <c>NetGen.GlobalAveragePool1D</c>; on a device, <see cref="GpuMeanOverStepsKernels"/>.
/// </summary>
internal sealed class GlobalAveragePool1DLayer : UnaryLayerKind
{
    public override string AttributeMetadataName => "NetGen.GlobalAveragePool1DAttribute";

    public override string RuntimeType => "NetGen.GlobalAveragePool1D";

    public override LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics) =>
        new GlobalAveragePool1DSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location);

    public override ShapeResult InferShape(LayerSpec spec, Shape input, string producer)
    {
        if (input.Rank != 2)
        {
            var hint = input.Rank == 1
                ? $"; '{producer}' gives one vector per sample, with no steps to pool: if it is a recurrent layer, set ReturnSequences = true on it"
                : $"; a sequence is [steps, features]: an image [channels, height, width] takes GlobalAveragePool2D";
            return ShapeResult.Fail(DiagnosticInfo.Create(DiagnosticDescriptors.InputRankMismatch, spec.Location, spec.PropertyName, "GlobalAveragePool1D", "a sequence [steps, features]", producer, input.ToString(), hint));
        }

        return ShapeResult.Ok(Shape.Of(input[1]));
    }

    public override string Describe(LayerSpec spec, Shape input, Shape output) => $"mean of {input[0]} steps";

    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output) => input.Size;

    public override void EmitForward(LayerContext context, SourceWriter writer)
    {
        var input = context.Plan.Input;
        writer.Line($"// y{context.Plan.Output.WithBatch}[b, f] = Σ_t x{input.WithBatch}[b, t, f] / {input[0]}");
        writer.Line($"global::NetGen.GlobalAveragePool1D.Forward<float>(x: {context.Input}, y: {context.Output}, batch: batch, steps: {input[0]}, features: {input[1]});");
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        var input = context.Plan.Input;
        var derivative = context.ProducerActivation == ActivationKind.None ? string.Empty : $" ⊙ {context.ProducerActivation}′";
        writer.Line($"// dx[b, t, f] = dy[b, f] / {input[0]} at every step{derivative}");
        writer.Line($"global::NetGen.GlobalAveragePool1D.Backward<float>(dy: {context.OutputGradient}, dx: {context.InputGradient}, batch: batch, steps: {input[0]}, features: {input[1]}, previousActivation: {ActivationTable.Of(context.ProducerActivation).Literal}, previousSaved: {context.ProducerSaved});");
    }

    public override IEnumerable<string> DeviceKernels(LayerPlan plan) => [GpuMeanOverStepsKernels.Source];

    public override void EmitDeviceForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var input = plan.Input;
        writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch}[b, f] = Σ_t x{input.WithBatch}[b, t, f] / {input[0]}");
        writer.Line($"Launch(\"mean_over_steps_forward\", batch * {input[1]}, /* x */ {context.Device.Input}, /* y */ {context.Device.Output}, /* batch, steps, features */ batch, {input[0]}, {input[1]});");
    }

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var device = context.Device;
        var input = plan.Input;
        if (!device.NeedsInputGradient)
        {
            writer.Line($"// {plan.Layer.StateName}: no work; the input needs no gradient and the mean has no parameters.");
            return;
        }

        writer.Line($"// {plan.Layer.StateName}: dx[b, t, f] = dy[b, f] / {input[0]} at every step{context.DerivativeNote()}");
        writer.Line($"Launch(\"mean_over_steps_backward\", batch * {input.Size}, /* dy */ {device.OutputGradient}, /* dx */ {device.InputGradient}, /* batch, steps, features */ batch, {input[0]}, {input[1]});");
        device.EmitProducerDerivative(writer, 0, input.Size);
    }

    public override string ViewConstruction(LayerContext context) => $"new global::NetGen.GlobalAveragePool1D(name: \"{context.Plan.Layer.StateName}\")";
}
