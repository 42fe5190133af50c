using System.Linq;
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
                writer.Line("_inputGradientBatch = _computeInputGradients ? batch : 0;");
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
            writer.Line("_inputGradientBatch = _computeInputGradients ? batch : 0;");
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
        writer.Line("// Walks the nodes in exact reverse order; the loss has already written the output's gradient. Nodes before");
        writer.Line("// _backwardFrom need no gradient (they and everything before them are frozen), so backward stops there.");
        writer.Line($"private void RunBackward({ReadOnlyFloats} inputs, int batch)");
        using (writer.Braces())
        {
            for (var i = plan.Layers.Count - 1; i >= 0; i--)
            {
                if (i < plan.Layers.Count - 1)
                {
                    writer.Line();
                }

                writer.Line($"if (_backwardFrom <= {i})");
                using (writer.Braces())
                {
                    if (plan.GradientSums.FirstOrDefault(s => s.Producer == i) is { } sum)
                    {
                        EmitGradientSum(writer, plan, sum);
                    }

                    writer.Line($"Backward_{plan.Layers[i].Layer.PropertyName}(inputs, batch);");
                }
            }

            if (plan.GradientSums.FirstOrDefault(s => s.Producer < 0) is { } inputSum)
            {
                writer.Line();
                writer.Line("if (_computeInputGradients)");
                using (writer.Braces())
                {
                    EmitGradientSum(writer, plan, inputSum);
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

    /// <summary>The passes that add the other readers' gradient slots of a shared tensor into its gradient, then apply its producer's activation derivative once.</summary>
    private static void EmitGradientSum(SourceWriter writer, NetworkPlan plan, GradientSum sum)
    {
        var activation = sum.Producer < 0 ? ActivationKind.None : plan.Layers[sum.Producer].Activation;
        var count = $"batch * {sum.Shape.Size}";
        var gradient = CpuLayerContext.GradientOf(sum.Producer, sum.GradientOffset, sum.Shape.Size);
        writer.Line($"// '{sum.ProducerName}' is read by {string.Join(", ", sum.Consumers.Select(c => "'" + c + "'"))}: the gradient is the sum of theirs" + (activation == ActivationKind.None ? string.Empty : $", then ⊙ {activation}′ once"));
        foreach (var slot in sum.Slots)
        {
            writer.Line($"global::NetGen.Kernels.GradientSum.Accumulate<float>(gradient: {gradient}, addend: {CpuLayerContext.GradientOf(sum.Producer, slot, sum.Shape.Size)}, count: {count});");
        }

        if (activation != ActivationKind.None)
        {
            writer.Line($"global::NetGen.Kernels.GradientSum.Finish<float>(gradient: {gradient}, rows: batch, width: {sum.Shape.Size}, activation: {ActivationTable.Of(activation).Literal}, saved: {CpuLayerContext.SavedBy(plan, sum.Producer)});");
        }
    }

    /// <summary>ComputeInputGradients and InputGradients: dL/dinput after a training step, as PyTorch's <c>input.grad</c>.</summary>
    private static void EmitInputGradientMembers(SourceWriter writer, NetworkPlan plan)
    {
        writer.Line("/// <inheritdoc/>");
        writer.Line("public bool ComputeInputGradients");
        using (writer.Braces())
        {
            writer.Line("get => _computeInputGradients;");
            writer.Line("set");
            using (writer.Braces())
            {
                writer.Line("_computeInputGradients = value;");
                writer.Line("_backwardFrom = value ? 0 : _firstTrainable;");
            }
        }

        writer.Line("/// <inheritdoc/>");
        writer.Line($"public {ReadOnlyFloats} InputGradients => _inputGradientBatch > 0");
        writer.Line("    ? _inputGradients.AsSpan(0, _inputGradientBatch * Layout.InputSize)");
        writer.Line($"    : throw new global::System.InvalidOperationException(\"{plan.Spec.TypeName} has no input gradients: set ComputeInputGradients = true, then call TrainStep.\");");
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
