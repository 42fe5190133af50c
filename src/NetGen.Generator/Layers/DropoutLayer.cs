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

    public override void EmitForward(CpuLayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        writer.Line("if (training)");
        using (writer.Braces())
        {
            writer.Line($"// y = x ⊙ mask in one pass, mask = 0 with probability {Rate(plan.Layer)}, else 1 / (1 − p); the mask is kept for backward");
            writer.Line($"global::NetGen.Dropout.Forward<float>({context.Input}, {context.Output}, {context.Saved}, {Rate(plan.Layer)}, global::NetGen.Dropout.StreamSeed({context.Network.Spec.Seed}, {context.Index}, _trainingSteps));");
        }

        writer.Line("else");
        using (writer.Braces())
        {
            writer.Line("// Inference: identity");
            writer.Line($"{context.Input}.CopyTo({context.Output});");
        }
    }

    public override void EmitBackward(CpuLayerContext context, SourceWriter writer)
    {

        writer.Line("// dx = dy ⊙ mask" + (context.ProducerActivation == ActivationKind.None ? string.Empty : $" ⊙ {context.ProducerActivation}′") + " in one pass");
        writer.Line($"global::NetGen.Dropout.Backward<float>({context.OutputGradient}, {context.Saved}, {context.InputGradient}, batch, {context.Plan.Output.Size}, {ActivationTable.Of(context.ProducerActivation).Literal}, {context.ProducerSaved});");
    }

    public override string ViewConstruction(CpuLayerContext context) =>
        $"new global::NetGen.Dropout(\"{context.Plan.Layer.StateName}\", {Rate(context.Plan.Layer)})";

    private static string Rate(LayerSpec spec) => Literals.Number(((DropoutSpec)spec).Rate);
}
