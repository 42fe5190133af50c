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

    /// <summary>Whether the mean is over each sample's real steps only, its length found from the Embedding's padding (<c>MaskPadding</c>).</summary>
    public bool MaskPadding { get; init; }

    /// <summary>Where <c>MaskPadding</c> is written, for NG0120.</summary>
    public LocationInfo? MaskPaddingLocation { get; init; }
}

/// <summary>
/// GlobalAveragePool1D: <c>[*, steps, features] → [*, features]</c>, each feature's mean over the steps
/// (Keras' GlobalAveragePooling1D, PyTorch's <c>mean(dim=1)</c>). Backward spreads <c>dy / steps</c> over
/// every step and applies the producer's activation derivative. With <c>MaskPadding</c> the mean and its
/// gradient cover each sample's real steps only, their number found from the token ids as a masked recurrent
/// layer finds it, and saved (one value a sample) for backward. Numerics: the runtime's
/// <c>NetGen.GlobalAveragePool1D</c>; on a device, <see cref="GpuMeanOverStepsKernels"/>.
/// </summary>
internal sealed class GlobalAveragePool1DLayer : UnaryLayerKind
{
    public override string AttributeMetadataName => "NetGen.GlobalAveragePool1DAttribute";

    public override string RuntimeType => "NetGen.GlobalAveragePool1D";

    public override LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics) =>
        new GlobalAveragePool1DSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location)
        {
            MaskPadding = arguments.Bool("MaskPadding", false),
            MaskPaddingLocation = arguments.LocationOf("MaskPadding"),
        };

    public override ShapeResult InferShape(LayerSpec spec, Shape input, string producer)
    {
        if (input.Rank != 2)
        {
            var hint = input.Rank == 1
                ? $"; '{producer}' gives one vector per sample, with no steps to pool: if it is a recurrent layer, set ReturnSequences = true on it"
                : $"; a sequence is [steps, features]: an image [channels, height, width] takes GlobalAveragePool2D";
            return ShapeResult.Fail(DiagnosticInfo.Create(DiagnosticDescriptors.InputRankMismatch, spec.Location, spec.PropertyName, "GlobalAveragePool1D", "a sequence [steps, features]", producer, input.ToString(), hint));
        }

        var pool = (GlobalAveragePool1DSpec)spec;
        if (pool.MaskPadding && input.Padding is null)
        {
            return ShapeResult.Fail(DiagnosticInfo.Create(DiagnosticDescriptors.MaskPaddingWithoutTokens, pool.MaskPaddingLocation ?? spec.Location, spec.PropertyName, producer));
        }

        return ShapeResult.Ok(Shape.Of(input[1]));
    }

    // Each sample's length when MaskPadding, found in forward and read again by backward.
    public override int SavedPerSample(LayerSpec spec, Shape input, Shape output) => ((GlobalAveragePool1DSpec)spec).MaskPadding ? 1 : 0;

    public override string Describe(LayerSpec spec, Shape input, Shape output) =>
        ((GlobalAveragePool1DSpec)spec).MaskPadding ? $"mean of each sample's real steps, of {input[0]}" : $"mean of {input[0]} steps";

    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output) => input.Size;

    public override void EmitForward(LayerContext context, SourceWriter writer)
    {
        var input = context.Plan.Input;
        var pool = (GlobalAveragePool1DSpec)context.Plan.Layer;
        if (!pool.MaskPadding)
        {
            writer.Line($"// y{context.Plan.Output.WithBatch}[b, f] = Σ_t x{input.WithBatch}[b, t, f] / {input[0]}");
            writer.Line($"global::NetGen.GlobalAveragePool1D.Forward<float>(x: {context.Input}, y: {context.Output}, batch: batch, steps: {input[0]}, features: {input[1]});");
            return;
        }

        var embedding = RecurrentLayer.Embedding(context);
        writer.Line($"// y{context.Plan.Output.WithBatch}[b, f] = Σ_{{t < n_b}} x{input.WithBatch}[b, t, f] / n_b, n_b one past sample b's last token id other than {embedding.Layer.PropertyName}'s padding id {embedding.Padding}");
        writer.Line($"var lengths = {context.Saved};");
        writer.Line($"global::NetGen.RecurrentLayer.LengthsFromPadding<float>(layer: \"{pool.StateName}\", tokens: {embedding.Tokens.Input}, padding: {embedding.Padding}f, lengths: lengths, batch: batch, steps: {input[0]});");
        writer.Line($"global::NetGen.GlobalAveragePool1D.Forward<float>(x: {context.Input}, y: {context.Output}, batch: batch, steps: {input[0]}, features: {input[1]}, lengths: lengths);");
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        var input = context.Plan.Input;
        var masked = ((GlobalAveragePool1DSpec)context.Plan.Layer).MaskPadding;
        var derivative = context.ProducerActivation == ActivationKind.None ? string.Empty : $" ⊙ {context.ProducerActivation}′";
        writer.Line(masked
            ? $"// dx[b, t, f] = dy[b, f] / n_b at sample b's real steps t < n_b (as forward found them), 0 at its padding{derivative}"
            : $"// dx[b, t, f] = dy[b, f] / {input[0]} at every step{derivative}");
        writer.Line($"global::NetGen.GlobalAveragePool1D.Backward<float>(dy: {context.OutputGradient}, dx: {context.InputGradient}, batch: batch, steps: {input[0]}, features: {input[1]}, previousActivation: {ActivationTable.Of(context.ProducerActivation).Literal}, previousSaved: {context.ProducerSaved}{(masked ? $", lengths: {context.Saved}" : string.Empty)});");
    }

    public override IEnumerable<string> DeviceKernels(LayerPlan plan) =>
        ((GlobalAveragePool1DSpec)plan.Layer).MaskPadding ? [GpuRecurrentKernels.Lengths, GpuMeanOverStepsKernels.Masked] : [GpuMeanOverStepsKernels.Source];

    // The kernels cannot throw: a sample of padding only is refused on the host, with the CPU's error, before the batch is staged.
    public override void EmitDeviceInputCheck(LayerContext context, SourceWriter writer)
    {
        var pool = (GlobalAveragePool1DSpec)context.Plan.Layer;
        if (pool.MaskPadding)
        {
            var embedding = RecurrentLayer.Embedding(context);
            writer.Line($"// {pool.StateName}: every sample needs a token other than {embedding.Layer.PropertyName}'s padding id {embedding.Padding} (MaskPadding), as on the CPU.");
            writer.Line($"global::NetGen.RecurrentLayer.CheckPadding<float>(layer: \"{pool.StateName}\", tokens: inputs, padding: {embedding.Padding}f, steps: {context.Plan.Input[0]});");
        }
    }

    public override void EmitDeviceForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var input = plan.Input;
        if (((GlobalAveragePool1DSpec)plan.Layer).MaskPadding)
        {
            var embedding = RecurrentLayer.Embedding(context);
            writer.Line($"// {plan.Layer.StateName}: n_b one past sample b's last token id other than {embedding.Layer.PropertyName}'s padding id {embedding.Padding}; y{plan.Output.WithBatch}[b, f] = Σ_{{t < n_b}} x{input.WithBatch}[b, t, f] / n_b");
            writer.Line($"Launch(\"lengths_from_padding\", batch, /* tokens */ {embedding.Tokens.Device.Input}, /* lengths */ {context.Device.Saved()}, /* batch, steps, padding */ batch, {input[0]}, {embedding.Padding}f);");
            writer.Line($"Launch(\"masked_mean_over_steps_forward\", batch * {input[1]}, /* x */ {context.Device.Input}, /* lengths */ {context.Device.Saved()}, /* y */ {context.Device.Output}, /* batch, steps, features */ batch, {input[0]}, {input[1]});");
            return;
        }

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

        if (((GlobalAveragePool1DSpec)plan.Layer).MaskPadding)
        {
            writer.Line($"// {plan.Layer.StateName}: dx[b, t, f] = dy[b, f] / n_b at sample b's real steps t < n_b (as forward found them), 0 at its padding{context.DerivativeNote()}");
            writer.Line($"Launch(\"masked_mean_over_steps_backward\", batch * {input.Size}, /* dy */ {device.OutputGradient}, /* lengths */ {device.Saved()}, /* dx */ {device.InputGradient}, /* batch, steps, features */ batch, {input[0]}, {input[1]});");
        }
        else
        {
            writer.Line($"// {plan.Layer.StateName}: dx[b, t, f] = dy[b, f] / {input[0]} at every step{context.DerivativeNote()}");
            writer.Line($"Launch(\"mean_over_steps_backward\", batch * {input.Size}, /* dy */ {device.OutputGradient}, /* dx */ {device.InputGradient}, /* batch, steps, features */ batch, {input[0]}, {input[1]});");
        }

        device.EmitProducerDerivative(writer, 0, input.Size);
    }

    public override string ViewConstruction(LayerContext context) => $"new global::NetGen.GlobalAveragePool1D(name: \"{context.Plan.Layer.StateName}\")";
}
