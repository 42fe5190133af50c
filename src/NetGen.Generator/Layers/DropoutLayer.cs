using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>A bound <c>[Dropout(rate)]</c>.</summary>
internal sealed record DropoutSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location, double Rate)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => "Dropout";
}

/// <summary>
/// Dropout: any shape, unchanged. Training writes the output and the mask (0 or 1 / (1 − rate)) in
/// one pass; backward multiplies by the mask with the producer's activation derivative fused, in one
/// pass. The mask lives in the activation buffer (planned per sample, so nothing is allocated per
/// step) and is seeded from the network's Seed, the layer's index and the training step.
/// </summary>
/// <remarks>
/// Inference copies the input to the output instead of aliasing it as Flatten does: the layer's
/// output buffer must be its own in training (backward reads the producer's output for its
/// activation derivative, so dropout cannot overwrite it), and one plan serves both modes. The
/// copy costs one pass over the activations, negligible next to any matrix product around it.
/// </remarks>
internal sealed class DropoutLayer : UnaryLayerKind
{
    public override string AttributeMetadataName => "NetGen.DropoutAttribute";

    public override string RuntimeType => "NetGen.Dropout";

    public override LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics)
    {
        var rate = arguments.Double("rate", -1);
        if (!(rate >= 0 && rate < 1))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidDropoutRate, arguments.LocationOf("rate"), declaration.PropertyName, rate));
            return null;
        }

        return new DropoutSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location, rate);
    }

    public override ShapeResult InferShape(LayerSpec spec, Shape input, string producer) => ShapeResult.Ok(input);

    public override int SavedPerSample(LayerSpec spec, Shape input, Shape output) => output.Size;

    public override string Describe(LayerSpec spec, Shape input, Shape output) => $"p = {Rate(spec)}";

    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output) => 0;

    public override void EmitForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        writer.Line("if (training)");
        using (writer.Braces())
        {
            writer.Line($"// y = x ⊙ mask in one pass, mask = 0 with probability {Rate(plan.Layer)}, else 1 / (1 − p); the mask is kept for backward");
            writer.Line($"global::NetGen.Dropout.Forward<float>(x: {context.Input}, y: {context.Output}, mask: {context.Saved}, rate: {Rate(plan.Layer)}, stream: global::NetGen.Dropout.StreamSeed(networkSeed: {context.Network.Spec.Seed}, layer: {context.Index}, step: _trainingSteps));");
        }

        writer.Line("else");
        using (writer.Braces())
        {
            writer.Line("// Inference: identity");
            writer.Line($"{context.Input}.CopyTo({context.Output});");
        }
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        writer.Line("// dx = dy ⊙ mask" + (context.ProducerActivation == ActivationKind.None ? string.Empty : $" ⊙ {context.ProducerActivation}′") + " in one pass");
        writer.Line($"global::NetGen.Dropout.Backward<float>(dy: {context.OutputGradient}, mask: {context.Saved}, dx: {context.InputGradient}, rows: batch, width: {context.Plan.Output.Size}, previousActivation: {ActivationTable.Of(context.ProducerActivation).Literal}, previousSaved: {context.ProducerSaved});");
    }

    public override IEnumerable<string> DeviceKernels(LayerPlan plan) => [GpuDropoutKernels.Source];

    public override void EmitDeviceForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var rate = Rate(plan.Layer);
        writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch} = x ⊙ mask in training (mask = 0 with probability {rate}, else 1 / (1 − p), the CPU's mask for this step), x in inference");
        writer.Line($"LaunchDropout(training, seed: {context.Network.Spec.Seed}, layer: {context.Index}, rate: {rate}, count: batch * {plan.Output.Size}, /* x */ {context.Device.Input}, /* y */ {context.Device.Output}, /* mask */ {context.Device.Saved()});");
    }

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var device = context.Device;
        if (!device.NeedsInputGradient)
        {
            writer.Line($"// {plan.Layer.StateName}: no work; the input needs no gradient and dropout has no parameters.");
            return;
        }

        writer.Line($"// {plan.Layer.StateName}: dx = dy ⊙ mask{context.DerivativeNote()}");
        writer.Line($"Launch(\"dropout_backward\", batch * {plan.Input.Size}, /* dy */ {device.OutputGradient}, /* mask */ {device.Saved()}, /* dx */ {device.InputGradient}, /* count */ batch * {plan.Input.Size});");
        device.EmitProducerDerivative(writer, 0, plan.Input.Size);
    }

    public override bool EmitOnnx(OnnxNodeContext context, SourceWriter writer)
    {
        // ONNX's Dropout without training_mode passes its input through, as Forward does; the ratio keeps the rate for whoever trains the model.
        var ratio = context.Name + ".ratio";
        writer.Line($"graph.Initializer(name: \"{ratio}\", values: [{OnnxNodeContext.Float(((DropoutSpec)context.Plan.Layer).Rate)}], shape: []);");
        writer.Line(context.Node("Dropout", OnnxNodeContext.Names(context.Input, ratio)));
        return true;
    }

    public override string ViewConstruction(LayerContext context) =>
        $"new global::NetGen.Dropout(name: \"{context.Plan.Layer.StateName}\", rate: {Rate(context.Plan.Layer)})";

    private static string Rate(LayerSpec spec) => Literals.Number(((DropoutSpec)spec).Rate);
}
