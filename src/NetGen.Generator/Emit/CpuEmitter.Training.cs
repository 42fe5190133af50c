using System.Linq;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>Inference, the training steps and the loss seeding of the backward pass.</summary>
internal static partial class CpuEmitter
{
    private const string ReadOnlyFloats = "global::System.ReadOnlySpan<float>";

    private static void EmitForwardAndTraining(SourceWriter writer, NetworkPlan plan)
    {
        var last = new LayerContext(plan, plan.Layers.Count - 1);
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
                writer.Line($"global::NetGen.Kernels.Activations.Backward<float>(activation: {ActivationTable.Of(plan.Last.Activation).Literal}, gradient: {last.OutputGradient}, saved: {saved}, rows: batch, width: {outputs});");
            }

            writer.Line("RunBackward(inputs, batch);");
            writer.Line("_inputGradientBatch = _computeInputGradients ? batch : 0;");
            EmitLinkAfterBackward(writer, plan, last);
            writer.Line("return loss;");
        }

        writer.Line();
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public global::System.ReadOnlySpan<float> LastOutputs => {last.Output.Replace("batch", "_lastBatch")};");
        if (HasFrozenFeatures(plan))
        {
            EmitFrozenFeatureMembers(writer, plan, last);
        }

        writer.Line();
        EmitPasses(writer, plan);
        writer.Line();
        writer.Line("private void WriteOutputs(global::System.Span<float> outputs, int batch)");
        using (writer.Braces())
        {
            EmitLinkAfterBackward(writer, plan, last);
            writer.Line($"{last.Output}.CopyTo(outputs);");
        }
    }

    /// <summary>The network inputs as the parameters of the generated methods: <c>ReadOnlySpan&lt;float&gt; inputs</c>, or one per input property.</summary>
    private static string InputParameters(NetworkPlan plan) => string.Join(", ", TensorArguments.Of(plan).Inputs.Select(name => $"{ReadOnlyFloats} {name}"));

    /// <summary>The network inputs passed on: <c>inputs</c>, or e.g. <c>image, metadata</c>.</summary>
    private static string InputArguments(NetworkPlan plan) => string.Join(", ", TensorArguments.Of(plan).Inputs);

    /// <summary>RunForward and RunBackward: every node's forward in order, every node's backward in exact reverse order.</summary>
    private static void EmitPasses(SourceWriter writer, NetworkPlan plan)
    {
        var inputs = InputArguments(plan);
        writer.Line("// training: TrainStep (Dropout drops, BatchNorm uses batch statistics); otherwise Forward and Evaluate.");
        if (HasFrozenFeatures(plan))
        {
            EmitSplitForward(writer, plan);
        }
        else
        {
            EmitWholeForward(writer, plan);
        }

        writer.Line();
        writer.Line(plan.Outputs.Count > 1
            ? "// Walks the nodes in exact reverse order; the losses have already written the outputs' gradients. Nodes before"
            : "// Walks the nodes in exact reverse order; the loss has already written the output's gradient. Nodes before");
        writer.Line("// _backwardFrom need no gradient (they and everything before them are frozen), so backward stops there.");
        writer.Line($"private void RunBackward({InputParameters(plan)}, int batch)");
        using (writer.Braces())
        {
            writer.Line("_layerPassHook?.PassStarting(global::NetGen.LayerPass.Backward);");
            var finalFrom = FinalGradientsFrom(plan);
            for (var i = plan.Layers.Count - 1; i >= plan.FrozenPrefix; i--)
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

                    writer.Line($"Backward_{plan.Layers[i].Layer.PropertyName}({inputs}, batch);");
                    EmitLayerFinished(writer, plan, i, "Backward");
                    EmitGradientReady(writer, plan, finalFrom[i], finalFrom[i + 1]);
                }
            }

            if (plan.FrozenPrefix > 0)
            {
                writer.Line();
                writer.Line($"// The frozen prefix ({FrozenPrefixNames(plan)}) has no backward.");
            }

            foreach (var inputSum in plan.GradientSums.Where(s => s.Producer < 0 && plan.FrozenPrefix == 0).OrderByDescending(s => s.Producer))
            {
                writer.Line();
                writer.Line("if (_computeInputGradients)");
                using (writer.Braces())
                {
                    EmitGradientSum(writer, plan, inputSum);
                }
            }
        }
    }

    /// <summary>RunForward of a network without frozen features: every node in order, the frozen prefix (if any) in inference mode.</summary>
    private static void EmitWholeForward(SourceWriter writer, NetworkPlan plan)
    {
        var inputs = InputArguments(plan);
        writer.Line($"private void RunForward({InputParameters(plan)}, int batch, bool training)");
        using (writer.Braces())
        {
            if (plan.FrozenPrefix > 0)
            {
                writer.Line($"// The frozen prefix ({FrozenPrefixNames(plan)}) always runs in inference mode, as Keras runs a frozen");
                writer.Line("// BatchNorm: running statistics, left as they are, and no dropout. Nothing of it is kept for backward.");
            }

            writer.Line("_layerPassHook?.PassStarting(global::NetGen.LayerPass.Forward);");
            for (var i = 0; i < plan.Layers.Count; i++)
            {
                writer.Line($"Forward_{plan.Layers[i].Layer.PropertyName}({inputs}, batch, {(i < plan.FrozenPrefix ? "training: false" : "training")});");
                EmitLayerFinished(writer, plan, i, "Forward");
            }

            writer.Line("if (training)");
            using (writer.Braces())
            {
                writer.Line("_trainingSteps++;");
            }
        }
    }

    /// <summary>
    /// For each node <c>i</c>, where the gradients that no node before it writes begin: after the backward
    /// of nodes <c>i</c> and later, <c>[result[i], TrainableParameterCount)</c> of the gradient buffer is final. One more entry, the
    /// trainable parameter count, stands for the moment before backward starts. Nodes that share parameters
    /// ([Reuse]) each count them, so they are final only once the first of them in node order has added its part.
    /// </summary>
    private static int[] FinalGradientsFrom(NetworkPlan plan)
    {
        var from = new int[plan.Layers.Count + 1];
        from[plan.Layers.Count] = plan.TrainableParameterCount;
        var written = 0;
        for (var i = 0; i < plan.Layers.Count; i++)
        {
            from[i] = written;
            // [Frozen] parameters lie after the trainable ones and have no gradients: nothing to announce.
            written = System.Math.Max(written, plan.Layers[i].Parameters.Where(p => p.Offset < plan.TrainableParameterCount).Select(p => p.Offset + p.Shape.Size).DefaultIfEmpty(0).Max());
        }

        return from;
    }

    /// <summary>The per-layer hook call after node <paramref name="index"/>'s forward or backward (a profiler's clock tick).</summary>
    private static void EmitLayerFinished(SourceWriter writer, NetworkPlan plan, int index, string pass)
    {
        var layer = plan.Layers[index];
        // A pooling fused into the convolution before it runs in that layer's time, and would show a rate of nothing over no time.
        var flops = PoolFusion.ConvolutionOf(plan, index) >= 0 ? 0 : LayerKinds.For(layer.Layer).ForwardFlops(layer.Layer, layer.Input, layer.Output);
        writer.Line($"_layerPassHook?.LayerFinished(pass: global::NetGen.LayerPass.{pass}, layer: {index}, name: \"{layer.Layer.StateName}\", forwardFlopsPerSample: {flops}, batch: batch);");
    }

    /// <summary>The hook call after a node's backward when it finished gradients <c>[start, end)</c>; nothing when it finished none.</summary>
    private static void EmitGradientReady(SourceWriter writer, NetworkPlan plan, int start, int end)
    {
        if (start >= end)
        {
            return;
        }

        var tensors = plan.Layers.Where(l => l.OwnsParameters).SelectMany(l => l.Parameters).Where(p => p.Offset >= start && p.Offset < end).Select(p => p.StateName);
        writer.Line($"// {string.Join(", ", tensors)}: final for this step, so a data-parallel trainer can start their all-reduce now.");
        writer.Line($"_gradientReadyHook?.GradientReady(offset: {start}, length: {end - start});");
    }

    /// <summary>The passes that add the other readers' gradient slots of a shared tensor into its gradient, then apply its producer's activation derivative once.</summary>
    private static void EmitGradientSum(SourceWriter writer, NetworkPlan plan, GradientSum sum)
    {
        var activation = sum.Producer < 0 ? ActivationKind.None : plan.Layers[sum.Producer].Activation;
        var count = $"batch * {sum.Shape.Size}";
        var gradient = LayerContext.GradientOf(sum.Producer, sum.GradientOffset, sum.Shape.Size);
        writer.Line($"// '{sum.ProducerName}' is read by {string.Join(", ", sum.Consumers.Select(c => "'" + c + "'"))}: the gradient is the sum of theirs" + (activation == ActivationKind.None ? string.Empty : $", then ⊙ {activation}′ once"));
        foreach (var slot in sum.Slots)
        {
            writer.Line($"global::NetGen.Kernels.GradientSum.Accumulate<float>(gradient: {gradient}, addend: {LayerContext.GradientOf(sum.Producer, slot, sum.Shape.Size)}, count: {count});");
        }

        if (activation != ActivationKind.None)
        {
            writer.Line($"global::NetGen.Kernels.GradientSum.Finish<float>(gradient: {gradient}, rows: batch, width: {sum.Shape.Size}, activation: {ActivationTable.Of(activation).Literal}, saved: {LayerContext.SavedBy(plan, sum.Producer)});");
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
                if (plan.FrozenPrefix > 0)
                {
                    writer.Line("if (value)");
                    using (writer.Braces())
                    {
                        writer.Line($"throw new global::System.InvalidOperationException(\"{plan.Spec.TypeName} cannot compute input gradients: its frozen prefix ({FrozenPrefixNames(plan)}) has no backward, since [Frozen] compiles it out; to get them, freeze those layers with SetFrozen instead of [Frozen].\");");
                    }

                    writer.Line();
                }

                writer.Line("_computeInputGradients = value;");
                writer.Line("_backwardFrom = value ? 0 : _firstTrainable;");
            }
        }

        if (plan.Spec.NamedInputs.Count > 0)
        {
            EmitInputGradientsOf(writer, plan);
            return;
        }

        writer.Line("/// <inheritdoc/>");
        writer.Line($"public {ReadOnlyFloats} InputGradients => _inputGradientBatch > 0");
        writer.Line("    ? _inputGradients.AsSpan(0, _inputGradientBatch * Layout.InputSize)");
        writer.Line($"    : throw new global::System.InvalidOperationException(\"{plan.Spec.TypeName} has no input gradients: set ComputeInputGradients = true, then call TrainStep.\");");
    }

    /// <summary>The nodes of the frozen prefix, for comments and messages: <c>'conv1' … 'layer4'</c>.</summary>
    private static string FrozenPrefixNames(NetworkPlan plan) => plan.FrozenPrefix == 1
        ? $"'{plan.Layers[0].Layer.StateName}'"
        : $"'{plan.Layers[0].Layer.StateName}' … '{plan.Layers[plan.FrozenPrefix - 1].Layer.StateName}'";

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
    private static void EmitLinkAfterBackward(SourceWriter writer, NetworkPlan plan, LayerContext last)
    {
        if (plan.Loss.Link != ActivationKind.None)
        {
            writer.Line($"global::NetGen.Kernels.Activations.ApplyRows<float>(activation: {ActivationTable.Of(plan.Loss.Link).Literal}, values: {last.Output}, rows: batch, width: Layout.OutputSize);");
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

    private static string? LabelLoss(NetworkPlan plan, LayerContext last, string gradient) =>
        LossTable.Of(plan.Loss.Kind).TakesLabels ? LossCall(plan, last, "labels", gradient) : null;

    private static string TargetLoss(NetworkPlan plan, LayerContext last, string gradient) => LossCall(plan, last, "targets", gradient);

    private static string LossCall(NetworkPlan plan, LayerContext last, string targets, string gradient) => LossCall(plan.Loss, last.Output, targets, targets, gradient);

    // The runtime's losses differ in what they are told of the batch: classes, one unit, or a count of values.
    // targets names the parameter (labels or targets), values the span passed to it.
    private static string LossCall(LossPlan plan, string output, string targets, string values, string gradient)
    {
        var loss = LossTable.Of(plan.Kind);
        var (outputs, size) = plan.Kind switch
        {
            LossKind.SoftmaxCrossEntropy => ("logits", $"probabilities: default, batch: batch, classes: {plan.Outputs}{SmoothingArgument(plan)}"),
            LossKind.BinaryCrossEntropy => ("logits", "count: batch"),
            LossKind.MeanSquaredError or LossKind.MeanAbsoluteError => ("outputs", $"count: batch * {plan.Outputs}"),
        };
        return $"global::NetGen.Losses.{loss.RuntimeClass}.Compute<float>({outputs}: {output}, {targets}: {values}, gradient: {gradient}, {size})";
    }

    /// <summary>The label-smoothing argument of softmax cross-entropy, left out when there is none.</summary>
    private static string SmoothingArgument(LossPlan plan) =>
        plan.LabelSmoothing > 0 ? $", labelSmoothing: {Literals.Number(plan.LabelSmoothing)}f" : "";
}
