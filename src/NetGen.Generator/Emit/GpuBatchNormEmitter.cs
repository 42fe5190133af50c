using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// BatchNorm's GPU launches (kernels in <see cref="GpuBatchNormKernels"/>), with the CPU's saved
/// layout: x̂ at the layer's saved offset (as many floats as the output) and each channel's
/// 1/√(var + ε) right after it. The running statistics live in the device copy of the network's
/// buffers. Backward receives dz (the consumer applied this layer's activation derivative) and ends
/// with the producer's derivative, as every GPU backward does.
/// </summary>
internal static class GpuBatchNormEmitter
{
    public static void EmitForward(GpuLayerContext context, SourceWriter writer, BatchNormSpec norm)
    {
        var plan = context.Plan;
        var (channels, spatial) = Geometry(plan);
        var count = $"batch * {plan.Output.Size}";
        var affine = $"{context.Parameter("weight")}, {context.Parameter("bias")}";
        var running = $"Buffers, {context.Buffer("running_mean")}, {context.Buffer("running_var")}";
        writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch} = {plan.Activation}(γ x̂ + β) over {channels} channels of {spatial}, batch statistics in training, running statistics in inference");
        writer.Line("if (training)");
        using (writer.Braces())
        {
            writer.Line($"RequireBatchStatistics(\"{plan.Layer.StateName}\", batch, {spatial});");
            writer.Line($"Launch(\"batch_norm_statistics\", {channels}, {context.Input}, {Normalized(plan)}, {InverseStd(plan)}, {running}, batch, {channels}, {spatial}, (float){Literals.Number(norm.Momentum)}, (float){Literals.Number(norm.Epsilon)});");
            writer.Line($"Launch(\"{GpuBatchNormKernels.Affine(plan.Activation)}\", {count}, {Normalized(plan)}, Parameters, {affine}, {context.Output}, {context.PreActivation}, {channels}, {spatial}, {count});");
        }

        writer.Line("else");
        using (writer.Braces())
        {
            writer.Line($"Launch(\"{GpuBatchNormKernels.Inference(plan.Activation)}\", {count}, {context.Input}, Parameters, {affine}, {running}, (float){Literals.Number(norm.Epsilon)}, {context.Output}, {context.PreActivation}, {channels}, {spatial}, {count});");
        }
    }

    public static void EmitBackward(GpuLayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var (channels, spatial) = Geometry(plan);
        string weight = context.Parameter("weight")!, bias = context.Parameter("bias")!;
        var derivative = context.ProducerActivation == ActivationKind.None ? string.Empty : $" ⊙ {context.ProducerActivation}′";
        writer.Line($"// {plan.Layer.StateName}: dγ = Σ dz ⊙ x̂, dβ = Σ dz" + (context.NeedsInputGradient ? $", dx = γ/(N σ) (N dz − Σ dz − x̂ Σ dz ⊙ x̂){derivative}" : "; the input needs no gradient"));
        writer.Line($"Launch(\"batch_norm_parameter_gradients\", {channels}, {context.OutputGradient}, {Normalized(plan)}, Gradients, {weight}, {bias}, batch, {channels}, {spatial});");
        if (!context.NeedsInputGradient)
        {
            return;
        }

        writer.Line($"Launch(\"batch_norm_input_gradient\", batch * {plan.Input.Size}, {context.OutputGradient}, {Normalized(plan)}, {InverseStd(plan)}, Parameters, {weight}, Gradients, {weight}, {bias}, {context.InputGradient}, batch, {channels}, {spatial});");
        GpuLayerEmitter.EmitProducerDerivative(context, writer, plan.Input.Size);
    }

    private static string Normalized(LayerPlan plan) => GpuLayerContext.Activation(plan.SavedOffset);

    private static string InverseStd(LayerPlan plan) => GpuLayerContext.Activation(plan.SavedOffset + plan.Output.Size);

    /// <summary>Channels and values per channel per sample: <c>[F]</c> is F channels of 1, <c>[C, H, W]</c> is C of H·W.</summary>
    private static (int Channels, int Spatial) Geometry(LayerPlan plan) => (plan.Input[0], plan.Input.Size / plan.Input[0]);

}
