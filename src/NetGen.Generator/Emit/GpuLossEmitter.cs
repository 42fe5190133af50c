using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>The loss launch that seeds backward, and the link applied to inference outputs.</summary>
internal static class GpuLossEmitter
{
    public static void Emit(SourceWriter writer, NetworkPlan plan)
    {
        var last = new LayerContext(plan, plan.Layers.Count - 1).Device;
        var outputs = plan.Loss.Outputs;
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        writer.Line("protected override void RunLoss(int batch, bool labels)");
        using (writer.Braces())
        {
            var loss = LossTable.Of(plan.Loss.Kind);
            var shape = plan.Last.Output.WithBatch;
            var smoothing = Literals.Number(plan.Loss.LabelSmoothing);
            // Label smoothing passes the parser only with softmax cross-entropy, whose y it smooths.
            writer.Line(!loss.TakesLabels ? $"// {plan.Loss.Kind} on the outputs {shape}; labels were refused before staging."
                : plan.Loss.LabelSmoothing > 0 ? $"// {loss.Reads} {shape}, targets smoothed to y′ = (1 − {smoothing})·y + {smoothing} / {outputs}; (p − y′) / batch seeds backward."
                : $"// {loss.Reads} {shape}; {loss.Gradient} seeds backward.");
            var launch = $"Launch(\"{loss.DeviceKernel}\"";
            writer.Line(plan.Loss.Kind switch
            {
                LossKind.SoftmaxCrossEntropy => $"{launch}, batch, /* z */ {last.Output}, /* labels, targets */ Batch, Batch, TargetsOffset, labels ? 1 : 0, /* smoothing */ {smoothing}f, /* g */ {last.OutputGradient}, /* terms */ LossTerms, /* rows, classes */ batch, {outputs});",
                LossKind.BinaryCrossEntropy => $"{launch}, batch, /* z */ {last.Output}, /* labels, targets */ Batch, Batch, TargetsOffset, labels ? 1 : 0, /* g */ {last.OutputGradient}, /* terms */ LossTerms, /* count */ batch);",
                LossKind.MeanSquaredError or LossKind.MeanAbsoluteError => $"{launch}, batch * {outputs}, /* y */ {last.Output}, /* targets */ Batch, TargetsOffset, /* g */ {last.OutputGradient}, /* terms */ LossTerms, /* count */ batch * {outputs});",
            });
            if (loss.Link == ActivationKind.None && plan.Last.Activation != ActivationKind.None)
            {
                var saved = plan.Last.PreActivationOffset >= 0 ? last.PreActivation : last.Output;
                writer.Line($"// The loss gives ∂loss/∂y; {plan.Last.Activation}′ turns it into the pre-activation gradient backward expects.");
                writer.Line($"Launch(\"{GpuKernelRenderer.Derivative(plan.Last.Activation)}\", batch * {outputs}, /* g */ {last.OutputGradient}, /* saved */ {saved}, /* count */ batch * {outputs});");
            }
        }

        writer.Line();
        writer.Line("/// <inheritdoc/>");
        writer.Line("protected override void ApplyLink(int batch)");
        using (writer.Braces())
        {
            // The only activation that is not elementwise, Softmax, has its own row-wise kernel.
            var link = ActivationTable.Of(plan.Loss.Link);
            writer.Line(
                link.Kind == ActivationKind.None ? "// The outputs are the last layer's activations as they are."
                : link.IsElementwise ? $"Launch(\"{GpuKernelRenderer.Epilogue(link.Kind)}\", batch * {outputs}, /* y */ {last.Output}, /* no pre-activation, no bias */ Activations, 0, Parameters, 0, 0, /* rows, columns */ batch, {outputs});"
                : $"Launch(\"softmax_rows\", batch, /* z */ {last.Output}, /* rows, classes */ batch, {outputs});");
        }
    }
}
