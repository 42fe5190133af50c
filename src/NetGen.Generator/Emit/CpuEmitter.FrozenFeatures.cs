using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// The <c>IFrozenFeatureNetwork</c> members of a network whose head reads only the frozen prefix's last
/// output: the prefix alone into a caller's buffer, and a training step and an evaluation that start from
/// those features, so a trainer can run the backbone once per sample (Chollet's fast feature extraction).
/// </summary>
internal static partial class CpuEmitter
{
    /// <summary>
    /// Whether the network gets the frozen-feature members: a frozen prefix with a trainable head after it,
    /// one input and one output trained on class labels, and a head that reads nothing of the prefix but its
    /// last node's output (a head reading the network input or an earlier node would need more than the features).
    /// Edges name the node whose memory they read (through reshapes), so a read of the prefix is recognised by its offset.
    /// </summary>
    internal static bool HasFrozenFeatures(NetworkPlan plan) =>
        plan.FrozenPrefix > 0
        && plan.FrozenPrefix < plan.Layers.Count
        && !plan.Spec.HasNamedTensors
        && LossTable.Of(plan.Loss.Kind).TakesLabels
        && plan.Layers[plan.FrozenPrefix - 1].OutputOffset >= 0
        && plan.Layers.Skip(plan.FrozenPrefix).SelectMany(l => l.Inputs).All(edge => edge.Producer >= plan.FrozenPrefix || (!edge.IsNetworkInput && edge.Offset == plan.Layers[plan.FrozenPrefix - 1].OutputOffset));

    private static void EmitFrozenFeatureMembers(SourceWriter writer, NetworkPlan plan, LayerContext last)
    {
        var type = plan.Spec.TypeName;
        var cut = new LayerContext(plan, plan.FrozenPrefix - 1);
        var size = cut.Plan.Output.Size;
        writer.Line();
        writer.Line($"// The frozen prefix ({FrozenPrefixNames(plan)}) ends in '{cut.Plan.Layer.StateName}', {cut.Plan.Output.WithBatch}: its output is the features");
        writer.Line("// the head reads, and nothing else of the prefix, so a trainer can compute them once per sample.");
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public int FrozenFeatureSize => {size};");
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public void ForwardFrozenPrefix({ReadOnlyFloats} inputs, global::System.Span<float> features)");
        using (writer.Braces())
        {
            writer.Line(EnterExclusiveUse(plan));
            writer.Line("var batch = Prepare(inputs);");
            writer.Line($"global::NetGen.BatchGuard.Fits(\"{type}\", \"features\", features.Length, batch * {size});");
            writer.Line("RunFrozenPrefix(inputs, batch);");
            writer.Line($"{cut.Output}.CopyTo(features);");
        }

        writer.Line();
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public float TrainStepFromFeatures({ReadOnlyFloats} features, global::System.ReadOnlySpan<int> labels)");
        using (writer.Braces())
        {
            writer.Line(EnterExclusiveUse(plan));
            writer.Line($"var batch = Reserve(global::NetGen.BatchGuard.BatchSize(\"{type}\", features.Length, {size}));");
            writer.Line($"features.CopyTo({cut.Output});");
            writer.Line("RunHead(batch, training: true);");
            writer.Line($"// {LossComment(plan)}");
            writer.Line($"var loss = {LabelLoss(plan, last, last.OutputGradient)};");
            writer.Line("RunBackward(default, batch);");
            writer.Line("_inputGradientBatch = 0;");
            EmitLinkAfterBackward(writer, plan, last);
            writer.Line("return loss;");
        }

        writer.Line();
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public float EvaluateFromFeatures({ReadOnlyFloats} features, global::System.ReadOnlySpan<int> labels, global::System.Span<float> outputs)");
        using (writer.Braces())
        {
            writer.Line(EnterExclusiveUse(plan));
            writer.Line($"var batch = Reserve(global::NetGen.BatchGuard.BatchSize(\"{type}\", features.Length, {size}));");
            writer.Line($"global::NetGen.BatchGuard.Fits(\"{type}\", \"outputs\", outputs.Length, batch * Layout.OutputSize);");
            writer.Line($"features.CopyTo({cut.Output});");
            writer.Line("RunHead(batch, training: false);");
            writer.Line($"var loss = {LabelLoss(plan, last, "default")};");
            writer.Line("WriteOutputs(outputs, batch);");
            writer.Line("return loss;");
        }
    }

    /// <summary>RunForward of a network with frozen features: the prefix, then the head, each a method the feature members call alone.</summary>
    private static void EmitSplitForward(SourceWriter writer, NetworkPlan plan)
    {
        writer.Line($"private void RunForward({InputParameters(plan)}, int batch, bool training)");
        using (writer.Braces())
        {
            writer.Line("RunFrozenPrefix(inputs, batch);");
            writer.Line("RunHead(batch, training);");
        }

        writer.Line();
        writer.Line($"// The frozen prefix ({FrozenPrefixNames(plan)}) always runs in inference mode, as Keras runs a frozen");
        writer.Line("// BatchNorm: running statistics, left as they are, and no dropout. Nothing of it is kept for backward.");
        writer.Line($"private void RunFrozenPrefix({InputParameters(plan)}, int batch)");
        using (writer.Braces())
        {
            writer.Line("_layerPassHook?.PassStarting(global::NetGen.LayerPass.Forward);");
            for (var i = 0; i < plan.FrozenPrefix; i++)
            {
                writer.Line($"Forward_{plan.Layers[i].Layer.PropertyName}(inputs, batch, training: false);");
                EmitLayerFinished(writer, plan, i, "Forward");
            }
        }

        writer.Line();
        writer.Line("// The head reads only the prefix's last output, never the network input, which it is given empty.");
        writer.Line("private void RunHead(int batch, bool training)");
        using (writer.Braces())
        {
            writer.Line("// A head run straight after the prefix starts its clock again, harmlessly; run from cached features, this is its start.");
            writer.Line("_layerPassHook?.PassStarting(global::NetGen.LayerPass.Forward);");
            for (var i = plan.FrozenPrefix; i < plan.Layers.Count; i++)
            {
                writer.Line($"Forward_{plan.Layers[i].Layer.PropertyName}(default, batch, training);");
                EmitLayerFinished(writer, plan, i, "Forward");
            }

            writer.Line("if (training)");
            using (writer.Braces())
            {
                writer.Line("_trainingSteps++;");
            }
        }
    }
}
