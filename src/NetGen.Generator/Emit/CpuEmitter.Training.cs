using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>Inference, the training steps and the loss seeding of the backward pass.</summary>
internal static partial class CpuEmitter
{
    private const string ReadOnlyFloats = "global::System.ReadOnlySpan<float>";

    private static void EmitForwardAndTraining(SourceWriter writer, NetworkPlan plan)
    {
        var last = new CpuLayerContext(plan, plan.Layers.Count - 1);
        var type = plan.Spec.TypeName;
        var outputs = plan.Last.Output.Size;

        writer.Line("/// <inheritdoc/>");
        writer.Line($"public void Forward({ReadOnlyFloats} inputs, global::System.Span<float> outputs)");
        using (writer.Braces())
        {
            writer.Line(EnterExclusiveUse(plan));
            writer.Line("var batch = Prepare(inputs);");
            writer.Line($"global::NetGen.BatchGuard.Fits(\"{type}\", \"outputs\", outputs.Length, batch * Layout.OutputSize);");
            writer.Line("RunForward(inputs, batch, training: false);");
            writer.Line("WriteOutputs(outputs, batch);");
        }

        writer.Line();
        var labelLoss = LabelLoss(plan, last, "default");
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public float Evaluate({ReadOnlyFloats} inputs, global::System.ReadOnlySpan<int> labels, global::System.Span<float> outputs)");
        EmitEvaluate(writer, plan, labelLoss);
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public float Evaluate({ReadOnlyFloats} inputs, {ReadOnlyFloats} targets, global::System.Span<float> outputs)");
        EmitEvaluate(writer, plan, TargetLoss(plan, last, "default"));
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public float TrainStep({ReadOnlyFloats} inputs, global::System.ReadOnlySpan<int> labels)");
        using (writer.Braces())
        {
            if (labelLoss is null)
            {
                writer.Line(LabelsUnsupported(plan));
            }
            else
            {
                writer.Line(EnterExclusiveUse(plan));
                writer.Line("var batch = Prepare(inputs);");
                writer.Line("RunForward(inputs, batch, training: true);");
                writer.Line($"// {LossComment(plan)}");
                writer.Line($"var loss = {LabelLoss(plan, last, last.OutputGradient)};");
                writer.Line("RunBackward(inputs, batch);");
                EmitLinkAfterBackward(writer, plan, last);
                writer.Line("return loss;");
            }
        }

        writer.Line();
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public float TrainStep({ReadOnlyFloats} inputs, {ReadOnlyFloats} targets)");
        using (writer.Braces())
        {
            writer.Line(EnterExclusiveUse(plan));
            writer.Line("var batch = Prepare(inputs);");
            writer.Line("RunForward(inputs, batch, training: true);");
            writer.Line($"// {LossComment(plan)}");
            writer.Line($"var loss = {TargetLoss(plan, last, last.OutputGradient)};");
            if (LossTable.Of(plan.Loss.Kind).Link == ActivationKind.None && plan.Last.Activation != ActivationKind.None)
            {
                var saved = plan.Last.PreActivationOffset >= 0 ? last.PreActivation : last.Output;
                writer.Line($"// The loss gives ∂loss/∂y; no matrix product follows to carry {plan.Last.Activation}′ in its epilogue, so it is applied here.");
                writer.Line($"global::NetGen.Kernels.Activations.Backward<float>({ActivationTable.Of(plan.Last.Activation).Literal}, {last.OutputGradient}, {saved}, batch, {outputs});");
            }

            writer.Line("RunBackward(inputs, batch);");
            EmitLinkAfterBackward(writer, plan, last);
            writer.Line("return loss;");
        }

        writer.Line();
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public global::System.ReadOnlySpan<float> LastOutputs => {last.Output.Replace("batch", "_lastBatch")};");
        writer.Line();
        writer.Line("// training: TrainStep (Dropout drops, BatchNorm uses batch statistics); otherwise Forward and Evaluate.");
        writer.Line($"private void RunForward({ReadOnlyFloats} inputs, int batch, bool training)");
        using (writer.Braces())
        {
            foreach (var layer in plan.Layers)
            {
                writer.Line($"Forward_{layer.Layer.PropertyName}(inputs, batch, training);");
            }

            writer.Line("if (training)");
            using (writer.Braces())
            {
                writer.Line("_trainingSteps++;");
            }
        }

        writer.Line();
        writer.Line("// Walks the layers in exact reverse order; the loss has already written the last layer's output gradient.");
        writer.Line("// Layers before the first trainable one need no gradient, so backward stops there.");
        writer.Line($"private void RunBackward({ReadOnlyFloats} inputs, int batch)");
        using (writer.Braces())
        {
            for (var i = plan.Layers.Count - 1; i >= 0; i--)
            {
                if (i < plan.Layers.Count - 1)
                {
                    writer.Line();
                }

                writer.Line($"if (_firstTrainable <= {i})");
                using (writer.Braces())
                {
                    writer.Line($"Backward_{plan.Layers[i].Layer.PropertyName}(inputs, batch);");
                }
            }
        }

        writer.Line();
        writer.Line("private void WriteOutputs(global::System.Span<float> outputs, int batch)");
        using (writer.Braces())
        {
            EmitLinkAfterBackward(writer, plan, last);
            writer.Line($"{last.Output}.CopyTo(outputs);");
        }
    }

    private static void EmitEvaluate(SourceWriter writer, NetworkPlan plan, string? loss)
    {
        using (writer.Braces())
        {
            if (loss is null)
            {
                writer.Line(LabelsUnsupported(plan));
                return;
            }

            writer.Line(EnterExclusiveUse(plan));
            writer.Line("var batch = Prepare(inputs);");
            writer.Line($"global::NetGen.BatchGuard.Fits(\"{plan.Spec.TypeName}\", \"outputs\", outputs.Length, batch * Layout.OutputSize);");
            writer.Line("RunForward(inputs, batch, training: false);");
            writer.Line($"var loss = {loss};");
            writer.Line("WriteOutputs(outputs, batch);");
            writer.Line("return loss;");
        }
    }

    // Until the method returns, another thread calling Forward, Evaluate or TrainStep on this instance gets an exception.
    private static string EnterExclusiveUse(NetworkPlan plan) => $"using var use = global::NetGen.ExclusiveUse.Enter(ref _inUse, \"{plan.Spec.TypeName}\");";

    private static string LabelsUnsupported(NetworkPlan plan) =>
        $"throw new global::System.InvalidOperationException(\"{plan.Spec.TypeName} is trained with {plan.Loss.Kind}, which compares float targets: pass targets instead of labels.\");";

    // The loss absorbed the last layer's link (softmax or sigmoid) during training. Once the loss
    // and backward are done nothing reads the logits again, so the link is applied in place:
    // outputs and LastOutputs then hold probabilities, without a second buffer.
    private static void EmitLinkAfterBackward(SourceWriter writer, NetworkPlan plan, CpuLayerContext last)
    {
        if (plan.Loss.Link != ActivationKind.None)
        {
            writer.Line($"global::NetGen.Kernels.Activations.ApplyRows<float>({ActivationTable.Of(plan.Loss.Link).Literal}, {last.Output}, batch, Layout.OutputSize);");
        }
    }

    // Label smoothing passes the parser only with softmax cross-entropy, whose y it smooths.
    private static string LossComment(NetworkPlan plan)
    {
        var loss = LossTable.Of(plan.Loss.Kind);
        if (plan.Loss.LabelSmoothing > 0)
        {
            var smoothing = Literals.Number(plan.Loss.LabelSmoothing);
            return $"{loss.Reads} {plan.Last.Output.WithBatch}, targets smoothed to y′ = (1 − {smoothing})·y + {smoothing} / {plan.Loss.Outputs}; the gradient (p − y′) / batch seeds backward.";
        }

        return $"{loss.Reads} {plan.Last.Output.WithBatch}; the gradient {loss.Gradient} seeds backward.";
    }

    private static string? LabelLoss(NetworkPlan plan, CpuLayerContext last, string gradient) =>
        LossTable.Of(plan.Loss.Kind).TakesLabels ? LossCall(plan, last, "labels", gradient) : null;

    private static string TargetLoss(NetworkPlan plan, CpuLayerContext last, string gradient) => LossCall(plan, last, "targets", gradient);

    // The runtime's losses differ in what they are told of the batch: classes, one unit, or a count of values.
    private static string LossCall(NetworkPlan plan, CpuLayerContext last, string targets, string gradient)
    {
        var loss = LossTable.Of(plan.Loss.Kind);
        var size = plan.Loss.Kind switch
        {
            LossKind.SoftmaxCrossEntropy => $"default, batch, {plan.Loss.Outputs}{SmoothingArgument(plan)}",
            LossKind.BinaryCrossEntropy => "batch",
            LossKind.MeanSquaredError or LossKind.MeanAbsoluteError => $"batch * {plan.Loss.Outputs}",
        };
        return $"global::NetGen.Losses.{loss.RuntimeClass}.Compute<float>({last.Output}, {targets}, {gradient}, {size})";
    }

    /// <summary>The label-smoothing argument of softmax cross-entropy, left out when there is none.</summary>
    private static string SmoothingArgument(NetworkPlan plan) =>
        plan.Loss.LabelSmoothing > 0 ? $", labelSmoothing: {Literals.Number(plan.Loss.LabelSmoothing)}f" : "";
}
