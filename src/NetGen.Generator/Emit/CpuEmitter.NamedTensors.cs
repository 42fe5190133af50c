using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// The typed members of a network that names its tensors (input properties, <c>[Output]</c> layers):
/// <c>Forward</c>, <c>TrainStep</c> and <c>Evaluate</c> with one span per input, output and target, the
/// <c>Losses</c> they return, and the input gradients per input. <c>INetwork</c>'s single-tensor members
/// are implemented explicitly and refuse, naming the typed method to call.
/// </summary>
internal static partial class CpuEmitter
{
    private const string Floats = "global::System.Span<float>";

    private static void EmitTensorTables(SourceWriter writer, NetworkPlan plan)
    {
        var inputs = plan.Spec.AllInputs;
        writer.Line("// The network's inputs and outputs, in the order the typed methods take them" + (plan.Spec.NamedInputs.Count > 0 ? "; the input properties return the inputs." : "."));
        writer.Line($"private static readonly global::NetGen.InputTensor[] s_inputs = [{string.Join(", ", inputs.Select((input, k) => $"new(\"{input.Name}\", {k}, [{string.Join(", ", input.Shape.Dimensions)}])"))}];");
        writer.Line($"private static readonly global::NetGen.OutputTensor[] s_outputs = [{string.Join(", ", plan.Outputs.Select((o, k) => $"new(\"{plan.Layers[o.Node].Layer.StateName}\", {k}, {o.Loss.Outputs}, global::NetGen.Loss.{o.Loss.Kind}, {ActivationTable.Of(EvaluatedActivation(plan, o)).Literal})"))}];");
        if (plan.Spec.NamedInputs.Count > 0)
        {
            writer.Line("// Per-sample offset of each input's gradient in _inputGradients.");
            writer.Line($"private static readonly int[] s_inputGradientOffsets = [{string.Join(", ", plan.InputGradientOffsets)}];");
        }
    }

    /// <summary>IMultiTensorNetwork, through which Trainer.Fit drives the typed methods: one span of the batch per tensor, in declaration order.</summary>
    private static void EmitMultiTensorMembers(SourceWriter writer, NetworkPlan plan)
    {
        var arguments = TensorArguments.Of(plan);
        var inputs = string.Join(", ", arguments.Inputs.Select((name, k) => $"{name}: batch.Input({k})"));
        var targets = string.Join(", ", plan.Outputs.Select((o, k) => $"{arguments.Targets[k]}: batch.{(LossTable.Of(o.Loss.Kind).TakesLabels ? "Labels" : "Targets")}({k})"));
        var outputs = string.Join(", ", arguments.Outputs.Select((name, k) => $"{name}: batch.Output({k})"));
        writer.Line("// Trainer.Fit drives the typed TrainStep and Evaluate through IMultiTensorNetwork, one span of the batch per tensor.");
        writer.Line("global::System.Collections.Generic.IReadOnlyList<global::NetGen.InputTensor> global::NetGen.IMultiTensorNetwork.Inputs => s_inputs;");
        writer.Line("global::System.Collections.Generic.IReadOnlyList<global::NetGen.OutputTensor> global::NetGen.IMultiTensorNetwork.Outputs => s_outputs;");
        foreach (var (method, call) in new[] { ("TrainStep", $"TrainStep({inputs}, {targets})"), ("Evaluate", $"Evaluate({inputs}, {targets}, {outputs})") })
        {
            writer.Line();
            writer.Line($"float global::NetGen.IMultiTensorNetwork.{method}(global::NetGen.Data.TensorBatch batch, {Floats} outputLosses)");
            using (writer.Braces())
            {
                writer.Line($"var losses = {call};");
                for (var o = 0; o < plan.Outputs.Count; o++)
                {
                    writer.Line($"outputLosses[{o}] = losses.{Identifiers.Escape(plan.Outputs[o].Name)};");
                }

                writer.Line("return losses.Total;");
            }
        }
    }

    /// <summary>INetwork's members that speak of one input and one output, each refusing with the typed member to use.</summary>
    private static void EmitSingleTensorMembersRefused(SourceWriter writer, NetworkPlan plan)
    {
        var arguments = TensorArguments.Of(plan);
        var gradients = plan.Spec.NamedInputs.Count > 0 ? "InputGradientsOf" : "InputGradients";
        var refusal = $"throw new global::System.NotSupportedException(\"{plan.Spec.TypeName} names its inputs ({string.Join(", ", arguments.Inputs)}) and outputs ({string.Join(", ", arguments.Outputs)}): call its typed Forward, TrainStep or Evaluate, and {gradients} for input gradients.\")";
        writer.Line("// INetwork speaks of one input and one output tensor; this network names its own, so these members refuse.");
        // The class's one input keeps InputGradients, which then is unambiguous.
        foreach (var member in SingleTensorMembers.Where(m => plan.Spec.NamedInputs.Count > 0 || !m.EndsWith("INetwork.InputGradients", System.StringComparison.Ordinal)))
        {
            writer.Line($"{member} => {refusal};");
        }
    }

    private static readonly string[] SingleTensorMembers =
    [
        "global::System.Collections.Generic.IReadOnlyList<int> global::NetGen.INetwork.InputShape",
        "global::System.Collections.Generic.IReadOnlyList<int> global::NetGen.INetwork.OutputShape",
        "int global::NetGen.INetwork.InputSize",
        "int global::NetGen.INetwork.OutputSize",
        "global::NetGen.Loss global::NetGen.INetwork.Loss",
        "global::NetGen.Activation global::NetGen.INetwork.OutputActivation",
        $"void global::NetGen.INetwork.Forward({ReadOnlyFloats} inputs, {Floats} outputs)",
        $"float global::NetGen.INetwork.TrainStep({ReadOnlyFloats} inputs, global::System.ReadOnlySpan<int> labels)",
        $"float global::NetGen.INetwork.TrainStep({ReadOnlyFloats} inputs, {ReadOnlyFloats} targets)",
        $"{ReadOnlyFloats} global::NetGen.INetwork.LastOutputs",
        $"float global::NetGen.INetwork.Evaluate({ReadOnlyFloats} inputs, global::System.ReadOnlySpan<int> labels, {Floats} outputs)",
        $"float global::NetGen.INetwork.Evaluate({ReadOnlyFloats} inputs, {ReadOnlyFloats} targets, {Floats} outputs)",
        $"{ReadOnlyFloats} global::NetGen.INetwork.InputGradients",
    ];

    /// <summary>The batch, from the first input; every other input must hold as many samples.</summary>
    private static void EmitBatchOfInputs(SourceWriter writer, NetworkPlan plan)
    {
        var arguments = TensorArguments.Of(plan);
        var inputs = plan.Spec.AllInputs;
        writer.Line($"var batch = global::NetGen.BatchGuard.BatchSize(\"{plan.Spec.TypeName}\", \"{arguments.Inputs[0]}\", {arguments.Inputs[0]}.Length, Layout.{SizeConstant(inputs[0].Name)});");
        for (var k = 1; k < inputs.Count; k++)
        {
            writer.Line($"global::NetGen.BatchGuard.Exactly(\"{plan.Spec.TypeName}\", \"{arguments.Inputs[k]}\", {arguments.Inputs[k]}.Length, batch * Layout.{SizeConstant(inputs[k].Name)});");
        }
    }

    private static void EmitNamedTensorMethods(SourceWriter writer, NetworkPlan plan)
    {
        var type = plan.Spec.TypeName;
        var arguments = TensorArguments.Of(plan);
        var inputs = InputArguments(plan);
        var inputParameters = InputParameters(plan);
        var outputParameters = string.Join(", ", arguments.Outputs.Select(name => $"{Floats} {name}"));
        var targetParameters = string.Join(", ", plan.Outputs.Select((o, k) => $"{TargetType(o)} {arguments.Targets[k]}"));

        writer.Line("/// <summary>The losses of one batch: <c>Total</c>, the weighted sum training minimises, and each output's mean loss.</summary>");
        writer.Line($"public readonly record struct Losses(float Total, {string.Join(", ", plan.Outputs.Select(o => "float " + Identifiers.Escape(o.Name)))});");
        writer.Line();
        writer.Line("/// <summary>");
        writer.Line($"/// Inference on a batch (Dropout passes values through, BatchNorm uses running statistics). Inputs: {string.Join(", ", plan.Spec.AllInputs.Select((input, k) => $"<paramref name=\"{arguments.Inputs[k]}\"/> batch × {input.Shape.Size}"))}");
        writer.Line($"/// floats; outputs: {string.Join(", ", plan.Outputs.Select((o, k) => $"<paramref name=\"{arguments.Outputs[k]}\"/> receives batch × {o.Loss.Outputs}{OutputForm(plan, o)}"))}.");
        writer.Line("/// </summary>");
        writer.Line($"public void Forward({inputParameters}, {outputParameters})");
        using (writer.Braces())
        {
            writer.Line(EnterExclusiveUse(plan));
            writer.Line($"var batch = Prepare({inputs});");
            EmitOutputChecks(writer, plan, arguments);
            writer.Line($"RunForward({inputs}, batch, training: false);");
            EmitWriteNamedOutputs(writer, plan, arguments);
        }

        writer.Line();
        writer.Line("/// <summary>");
        writer.Line($"/// One training step on a batch: forward, each output's loss, the weighted total {TotalFormula(plan)}, and backward into");
        writer.Line("/// <c>Gradients</c> (overwritten) with each output seeded by its weight times its loss's gradient. Labels are class indices");
        writer.Line("/// (0 or 1 for binary cross-entropy), one per sample; targets hold as many floats as the output. The optimizer step is separate.");
        writer.Line("/// </summary>");
        writer.Line($"public Losses TrainStep({inputParameters}, {targetParameters})");
        using (writer.Braces())
        {
            writer.Line(EnterExclusiveUse(plan));
            writer.Line($"var batch = Prepare({inputs});");
            EmitTargetChecks(writer, plan, arguments);
            writer.Line($"RunForward({inputs}, batch, training: true);");
            for (var o = 0; o < plan.Outputs.Count; o++)
            {
                EmitSeed(writer, plan, arguments, o);
            }

            writer.Line($"RunBackward({inputs}, batch);");
            writer.Line("_inputGradientBatch = _computeInputGradients ? batch : 0;");
            writer.Line($"return {LossesValue(plan)};");
        }

        writer.Line();
        writer.Line("/// <summary>Inference, as <c>Forward</c> writes it, plus each output's mean loss and the weighted total, without touching gradients.</summary>");
        writer.Line($"public Losses Evaluate({inputParameters}, {targetParameters}, {outputParameters})");
        using (writer.Braces())
        {
            writer.Line(EnterExclusiveUse(plan));
            writer.Line($"var batch = Prepare({inputs});");
            EmitTargetChecks(writer, plan, arguments);
            EmitOutputChecks(writer, plan, arguments);
            writer.Line($"RunForward({inputs}, batch, training: false);");
            for (var o = 0; o < plan.Outputs.Count; o++)
            {
                var output = plan.Outputs[o];
                writer.Line($"var {TensorArguments.LossLocal(o)} = {LossCall(output.Loss, new LayerContext(plan, output.Node).Output, TargetKind(output), arguments.Targets[o], "default")};");
            }

            EmitWriteNamedOutputs(writer, plan, arguments);
            writer.Line($"return {LossesValue(plan)};");
        }

        writer.Line();
        EmitMultiTensorMembers(writer, plan);
        writer.Line();
        EmitPasses(writer, plan);
    }

    /// <summary>The <paramref name="o"/>th output's loss, its gradient written as the seed of its output's backward, times its weight.</summary>
    private static void EmitSeed(SourceWriter writer, NetworkPlan plan, TensorArguments arguments, int o)
    {
        var output = plan.Outputs[o];
        var node = new LayerContext(plan, output.Node);
        var facts = LossTable.Of(output.Loss.Kind);
        var layer = plan.Layers[output.Node];
        writer.Line($"// {output.Name}: {facts.Reads} {layer.Output.WithBatch}; {Literals.Number(output.Weight)} × {facts.Gradient} seeds its backward.");
        writer.Line($"var {TensorArguments.LossLocal(o)} = {LossCall(output.Loss, node.Output, TargetKind(output), arguments.Targets[o], node.OutputGradient)};");
        if (output.Weight != 1)
        {
            writer.Line($"global::NetGen.Losses.LossWeight.Scale<float>(gradient: {node.OutputGradient}, weight: {Literals.Number(output.Weight)}f);");
        }

        // Read by the loss alone, the output gets its derivative here; read by layers too, the gradient sum applies it once after adding theirs.
        var summed = plan.GradientSums.Any(s => s.Producer == output.Node);
        if (facts.Link == ActivationKind.None && layer.Activation != ActivationKind.None && !summed)
        {
            var saved = layer.PreActivationOffset >= 0 ? node.PreActivation : node.Output;
            writer.Line($"// The loss gives ∂loss/∂y; no matrix product follows to carry {layer.Activation}′ in its epilogue, so it is applied here.");
            writer.Line($"global::NetGen.Kernels.Activations.Backward<float>(activation: {ActivationTable.Of(layer.Activation).Literal}, gradient: {node.OutputGradient}, saved: {saved}, rows: batch, width: {layer.Output.Size});");
        }
    }

    private static void EmitOutputChecks(SourceWriter writer, NetworkPlan plan, TensorArguments arguments)
    {
        for (var o = 0; o < plan.Outputs.Count; o++)
        {
            writer.Line($"global::NetGen.BatchGuard.Fits(\"{plan.Spec.TypeName}\", \"{arguments.Outputs[o]}\", {arguments.Outputs[o]}.Length, batch * Layout.{SizeConstant(plan.Outputs[o].Name)});");
        }
    }

    private static void EmitTargetChecks(SourceWriter writer, NetworkPlan plan, TensorArguments arguments)
    {
        for (var o = 0; o < plan.Outputs.Count; o++)
        {
            var perSample = LossTable.Of(plan.Outputs[o].Loss.Kind).TakesLabels ? "batch" : $"batch * Layout.{SizeConstant(plan.Outputs[o].Name)}";
            writer.Line($"global::NetGen.BatchGuard.Exactly(\"{plan.Spec.TypeName}\", \"{arguments.Targets[o]}\", {arguments.Targets[o]}.Length, {perSample});");
        }
    }

    /// <summary>Copies each output to its span, applying the link its loss absorbed in training (so they are probabilities).</summary>
    private static void EmitWriteNamedOutputs(SourceWriter writer, NetworkPlan plan, TensorArguments arguments)
    {
        for (var o = 0; o < plan.Outputs.Count; o++)
        {
            var output = plan.Outputs[o];
            var node = new LayerContext(plan, output.Node);
            writer.Line($"{node.Output}.CopyTo({arguments.Outputs[o]});");
            if (output.Loss.Link != ActivationKind.None)
            {
                writer.Line($"global::NetGen.Kernels.Activations.ApplyRows<float>(activation: {ActivationTable.Of(output.Loss.Link).Literal}, values: {arguments.Outputs[o]}.Slice(0, batch * {output.Loss.Outputs}), rows: batch, width: {output.Loss.Outputs});");
            }
        }
    }

    /// <summary>InputGradientsOf: dL/d(one input) after a training step, as PyTorch's <c>image.grad</c>.</summary>
    private static void EmitInputGradientsOf(SourceWriter writer, NetworkPlan plan)
    {
        writer.Line("/// <summary>");
        writer.Line("/// The gradient of the last <c>TrainStep</c>'s total loss with respect to <paramref name=\"input\"/> (one of this network's input");
        writer.Line("/// properties), batch × its size, as PyTorch's <c>input.grad</c>; set <c>ComputeInputGradients</c> before the step.");
        writer.Line("/// </summary>");
        writer.Line($"public {ReadOnlyFloats} InputGradientsOf(global::NetGen.InputTensor input)");
        using (writer.Braces())
        {
            writer.Line("global::System.ArgumentNullException.ThrowIfNull(input);");
            writer.Line("if ((uint)input.Index >= (uint)s_inputs.Length || !ReferenceEquals(s_inputs[input.Index], input))");
            using (writer.Braces())
            {
                writer.Line($"throw new global::System.ArgumentException($\"'{{input.Name}}' is not an input of {plan.Spec.TypeName}; pass one of its input properties.\", nameof(input));");
            }

            writer.Line();
            writer.Line("return _inputGradientBatch > 0");
            writer.Line("    ? _inputGradients.AsSpan(_inputGradientBatch * s_inputGradientOffsets[input.Index], _inputGradientBatch * input.Size)");
            writer.Line($"    : throw new global::System.InvalidOperationException(\"{plan.Spec.TypeName} has no input gradients: set ComputeInputGradients = true, then call TrainStep.\");");
        }
    }

    private static string TargetType(OutputPlan output) => LossTable.Of(output.Loss.Kind).TakesLabels ? "global::System.ReadOnlySpan<int>" : ReadOnlyFloats;

    private static string TargetKind(OutputPlan output) => LossTable.Of(output.Loss.Kind).TakesLabels ? "labels" : "targets";

    private static string OutputForm(NetworkPlan plan, OutputPlan output)
    {
        var activation = EvaluatedActivation(plan, output);
        return activation == ActivationKind.None ? string.Empty : $" ({activation})";
    }

    /// <summary>The activation of what Forward and Evaluate write: the link the loss absorbed in training, else the layer's own.</summary>
    private static ActivationKind EvaluatedActivation(NetworkPlan plan, OutputPlan output) =>
        output.Loss.Link != ActivationKind.None ? output.Loss.Link : plan.Layers[output.Node].Activation;

    private static string TotalFormula(NetworkPlan plan) =>
        string.Join(" + ", plan.Outputs.Select(o => $"{Literals.Number(o.Weight)} · {o.Name}"));

    private static string LossesValue(NetworkPlan plan) =>
        $"new Losses(Total: {string.Join(" + ", plan.Outputs.Select((o, k) => $"{Literals.Number(o.Weight)}f * {TensorArguments.LossLocal(k)}"))}, "
        + string.Join(", ", plan.Outputs.Select((o, k) => $"{Identifiers.Escape(o.Name)}: {TensorArguments.LossLocal(k)}")) + ")";
}
