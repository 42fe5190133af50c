using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// The GPU launches of each layer kind that has kernels, forward and backward side by side:
/// Dense (SGEMM plus a bias/activation epilogue; two SGEMMs, a column sum and the producer's
/// derivative backward), Flatten (a reinterpretation: no launch), Dropout (the CPU's masks, see
/// <see cref="GpuDropoutKernels"/>), BatchNorm (<see cref="GpuBatchNormEmitter"/>) and the image
/// layers of <see cref="GpuImageLayerEmitter"/>.
/// A Softmax on a hidden layer has no kernel (NG0301).
/// </summary>
internal static class GpuLayerEmitter
{
    public static bool Supports(LayerSpec layer) => layer is DenseSpec or FlattenSpec or DropoutSpec or BatchNormSpec || GpuImageLayerEmitter.Supports(layer);

    public static void EmitForward(GpuLayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        if (GpuImageLayerEmitter.Supports(plan.Layer))
        {
            GpuImageLayerEmitter.EmitForward(context, writer);
            return;
        }

        if (plan.Layer is DropoutSpec dropout)
        {
            EmitDropoutForward(context, writer, dropout);
            return;
        }

        if (plan.Layer is BatchNormSpec norm)
        {
            GpuBatchNormEmitter.EmitForward(context, writer, norm);
            return;
        }

        if (plan.Layer is not DenseSpec dense)
        {
            writer.Line($"// {plan.Layer.StateName}: {plan.Input.WithBatch} → {plan.Output.WithBatch} reinterprets its input; no launch.");
            return;
        }

        int inputs = plan.Input[0], units = plan.Output[0];
        writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch} = {plan.Activation}(x{plan.Input.WithBatch} · weight[{units}, {inputs}]ᵀ{(dense.HasBias ? " + bias" : string.Empty)})");
        writer.Line($"Gemm(batch, {units}, {inputs}, {context.Input}, {inputs}, 1, Parameters, {context.Parameter("weight")}, 1, {inputs}, {context.Output}, accumulate: false);");
        if (dense.HasBias || plan.Activation != ActivationKind.None)
        {
            var bias = context.Parameter("bias");
            writer.Line($"Launch(\"{GpuKernelRenderer.Epilogue(plan.Activation)}\", batch * {units}, {context.Output}, {context.PreActivation}, Parameters, {bias ?? "0"}, {(bias is null ? 0 : 1)}, batch, {units});");
        }
    }

    public static void EmitBackward(GpuLayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        if (GpuImageLayerEmitter.Supports(plan.Layer))
        {
            GpuImageLayerEmitter.EmitBackward(context, writer);
            return;
        }

        if (plan.Layer is DropoutSpec)
        {
            EmitDropoutBackward(context, writer);
            return;
        }

        if (plan.Layer is BatchNormSpec)
        {
            GpuBatchNormEmitter.EmitBackward(context, writer);
            return;
        }

        if (plan.Layer is not DenseSpec)
        {
            writer.Line($"// {plan.Layer.StateName}: its input gradient is its output gradient (same buffer).");
            return;
        }

        int inputs = plan.Input[0], units = plan.Output[0];
        writer.Line($"// {plan.Layer.StateName}: dweight = dzᵀ · x, dbias = Σ dz" + (context.NeedsInputGradient ? $", dx = (dz · weight) ⊙ {context.ProducerActivation}′" : "; the input needs no gradient"));
        writer.Line($"Gemm({units}, {inputs}, batch, {context.OutputGradient}, 1, {units}, {context.Input}, {inputs}, 1, Gradients, {context.Parameter("weight")}, accumulate: false);");
        if (context.Parameter("bias") is { } bias)
        {
            writer.Line($"Launch(\"column_sum\", {units}, {context.OutputGradient}, batch, {units}, Gradients, {bias});");
        }

        if (!context.NeedsInputGradient)
        {
            return;
        }

        writer.Line($"Gemm(batch, {inputs}, {units}, {context.OutputGradient}, {units}, 1, Parameters, {context.Parameter("weight")}, {inputs}, 1, {context.InputGradient}, accumulate: false);");
        EmitProducerDerivative(context, writer, inputs);
    }

    private static void EmitDropoutForward(GpuLayerContext context, SourceWriter writer, DropoutSpec dropout)
    {
        var plan = context.Plan;
        var rate = Literals.Number(dropout.Rate);
        writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch} = x ⊙ mask in training (mask = 0 with probability {rate}, else 1 / (1 − p), the CPU's mask for this step), x in inference");
        writer.Line($"LaunchDropout(training, seed: {context.Network.Spec.Seed}, layer: {context.Index}, rate: {rate}, batch * {plan.Output.Size}, {context.Input}, {context.Output}, {context.Saved});");
    }

    private static void EmitDropoutBackward(GpuLayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        if (!context.NeedsInputGradient)
        {
            writer.Line($"// {plan.Layer.StateName}: no work; the input needs no gradient and dropout has no parameters.");
            return;
        }

        var derivative = context.ProducerActivation == ActivationKind.None ? string.Empty : $" ⊙ {context.ProducerActivation}′";
        writer.Line($"// {plan.Layer.StateName}: dx = dy ⊙ mask{derivative}");
        writer.Line($"Launch(\"dropout_backward\", batch * {plan.Input.Size}, {context.OutputGradient}, {context.Saved}, {context.InputGradient}, batch * {plan.Input.Size});");
        EmitProducerDerivative(context, writer, plan.Input.Size);
    }

    /// <summary>The in-place multiply of the input gradient by the producer's activation derivative, when it has one.</summary>
    public static void EmitProducerDerivative(GpuLayerContext context, SourceWriter writer, int perSample)
    {
        if (context.ProducerActivation != ActivationKind.None)
        {
            writer.Line($"Launch(\"{GpuKernelRenderer.Derivative(context.ProducerActivation)}\", batch * {perSample}, {context.InputGradient}, {context.ProducerSaved}, batch * {perSample});");
        }
    }
}
