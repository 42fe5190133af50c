using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>The loss launch that seeds backward, and the link applied to inference outputs.</summary>
internal static class GpuLossEmitter
{
    public static void Emit(SourceWriter writer, NetworkPlan plan)
    {
        var last = new GpuLayerContext(plan, plan.Layers.Count - 1);
        var outputs = plan.Loss.Outputs;
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        writer.Line("protected override void RunLoss(int batch, bool labels)");
        using (writer.Braces())
        {
            switch (plan.Loss.Kind)
            {
                case LossKind.SoftmaxCrossEntropy:
                    var smoothing = Literals.Number(plan.Loss.LabelSmoothing);
                    writer.Line(plan.Loss.LabelSmoothing > 0
                        ? $"// Softmax and cross-entropy fused on the logits {plan.Last.Output.WithBatch}, targets smoothed to y′ = (1 − {smoothing})·y + {smoothing} / {outputs}; (p − y′) / batch seeds backward."
                        : $"// Softmax and cross-entropy fused on the logits {plan.Last.Output.WithBatch}; (p − y) / batch seeds backward.");
                    writer.Line($"Launch(\"softmax_cross_entropy\", batch, {last.Output}, Batch, Batch, TargetsOffset, labels ? 1 : 0, {smoothing}f, {last.OutputGradient}, LossTerms, batch, {outputs});");
                    break;
                case LossKind.BinaryCrossEntropy:
                    writer.Line($"// Sigmoid and binary cross-entropy fused on the logits {plan.Last.Output.WithBatch}; (σ(z) − y) / batch seeds backward.");
                    writer.Line($"Launch(\"binary_cross_entropy\", batch, {last.Output}, Batch, Batch, TargetsOffset, labels ? 1 : 0, {last.OutputGradient}, LossTerms, batch);");
                    break;
                default:
                    var name = plan.Loss.Kind == LossKind.MeanSquaredError ? "mean_squared_error" : "mean_absolute_error";
                    writer.Line($"// {plan.Loss.Kind} on the outputs {plan.Last.Output.WithBatch}; labels were refused before staging.");
                    writer.Line($"Launch(\"{name}\", batch * {outputs}, {last.Output}, Batch, TargetsOffset, {last.OutputGradient}, LossTerms, batch * {outputs});");
                    if (plan.Last.Activation != ActivationKind.None)
                    {
                        var saved = plan.Last.PreActivationOffset >= 0 ? last.PreActivation : last.Output;
                        writer.Line($"// The loss gives ∂loss/∂y; {plan.Last.Activation}′ turns it into the pre-activation gradient backward expects.");
                        writer.Line($"Launch(\"{GpuKernelRenderer.Derivative(plan.Last.Activation)}\", batch * {outputs}, {last.OutputGradient}, {saved}, batch * {outputs});");
                    }

                    break;
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
                : link.IsElementwise ? $"Launch(\"{GpuKernelRenderer.Epilogue(link.Kind)}\", batch * {outputs}, {last.Output}, Activations, 0, Parameters, 0, 0, batch, {outputs});"
                : $"Launch(\"softmax_rows\", batch, {last.Output}, batch, {outputs});");
        }
    }
}
