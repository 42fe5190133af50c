using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// The GPU launches of the image layers, forward and backward side by side: Conv2D (three implicit
/// GEMMs and a channel sum, see <see cref="GpuImageKernels"/>), MaxPool2D, AvgPool2D and
/// GlobalAveragePool2D. Each backward that produces an input gradient ends with the producer's
/// activation derivative, as on the CPU.
/// </summary>
internal static class GpuImageLayerEmitter
{
    public static bool Supports(LayerSpec layer) => layer is Conv2DSpec or Pool2DSpec or GlobalAveragePool2DSpec;

    public static void EmitForward(GpuLayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        switch (plan.Layer)
        {
            case Conv2DSpec conv:
                var bias = context.Parameter("bias");
                var affine = $"weight[{conv.Filters}, {plan.Input[0]}, {conv.Kernel}, {conv.Kernel}] ⊛ x{plan.Input.WithBatch}{(conv.HasBias ? " + bias" : string.Empty)}";
                writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch} = {plan.Activation}({affine}), im2col inside the tile loads, bias and activation as it stores");
                writer.Line($"Tiled(\"{GpuImageKernels.ConvForward(plan.Activation)}\", {conv.Filters}, batch * {OutputPlane(plan)}, {Patch(plan, conv.Kernel)}, Parameters, {context.Parameter("weight")}, {context.Input}, {Geometry(plan, conv.Kernel, conv.Stride, conv.Padding)}, Parameters, {bias ?? "0"}, {(bias is null ? 0 : 1)}, {context.Output}, {context.PreActivation});");
                break;
            case Pool2DSpec pool:
                var what = pool.Kind == "MaxPool2D" ? "maximum" : "mean";
                writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch} = the {what} of each {pool.Pool}×{pool.Pool} window of x{plan.Input.WithBatch}");
                writer.Line($"Launch(\"{Kernel(pool)}\", batch * {plan.Output.Size}, {context.Input}, {context.Output}, {PoolGeometry(plan, pool)});");
                break;
            case GlobalAveragePool2DSpec:
                writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch} = the mean of each channel of x{plan.Input.WithBatch}");
                writer.Line($"Launch(\"global_average_pool\", batch * {plan.Input[0]}, {context.Input}, {context.Output}, batch * {plan.Input[0]}, {plan.Input[1] * plan.Input[2]});");
                break;
        }
    }

    public static void EmitBackward(GpuLayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        if (plan.Layer is Conv2DSpec conv)
        {
            EmitConvolutionBackward(context, writer, conv);
            return;
        }

        if (!context.NeedsInputGradient)
        {
            writer.Line($"// {plan.Layer.StateName}: no work; the input needs no gradient and pooling has no parameters.");
            return;
        }

        switch (plan.Layer)
        {
            case Pool2DSpec { Kind: "MaxPool2D" } pool:
                writer.Line($"// {plan.Layer.StateName}: dx = dy routed to each window's first maximum{Derivative(context)}");
                writer.Line($"Launch(\"max_pool_backward\", batch * {plan.Input.Size}, {context.OutputGradient}, {context.Input}, {context.InputGradient}, {PoolGeometry(plan, pool)});");
                break;
            case Pool2DSpec pool:
                writer.Line($"// {plan.Layer.StateName}: dx = dy spread evenly over each window{Derivative(context)}");
                writer.Line($"Launch(\"avg_pool_backward\", batch * {plan.Input.Size}, {context.OutputGradient}, {context.InputGradient}, {PoolGeometry(plan, pool)});");
                break;
            case GlobalAveragePool2DSpec:
                writer.Line($"// {plan.Layer.StateName}: dx = dy / {plan.Input[1] * plan.Input[2]} over each channel{Derivative(context)}");
                writer.Line($"Launch(\"global_average_pool_backward\", batch * {plan.Input.Size}, {context.OutputGradient}, {context.InputGradient}, batch * {plan.Input[0]}, {plan.Input[1] * plan.Input[2]});");
                break;
        }

        GpuLayerEmitter.EmitProducerDerivative(context, writer, plan.Input.Size);
    }

    private static void EmitConvolutionBackward(GpuLayerContext context, SourceWriter writer, Conv2DSpec conv)
    {
        var plan = context.Plan;
        var geometry = Geometry(plan, conv.Kernel, conv.Stride, conv.Padding);
        var patch = Patch(plan, conv.Kernel);
        writer.Line($"// {plan.Layer.StateName}: dweight = Σ dz · im2col(x)ᵀ{(conv.HasBias ? ", dbias = Σ dz" : string.Empty)}" + (context.NeedsInputGradient ? $", dx = col2im(weightᵀ · dz){Derivative(context)}" : "; the input needs no gradient"));
        writer.Line($"Tiled(\"conv_weight_gradient\", {conv.Filters}, {patch}, batch * {OutputPlane(plan)}, {context.OutputGradient}, {context.Input}, {geometry}, Gradients, {context.Parameter("weight")});");
        if (context.Parameter("bias") is { } bias)
        {
            writer.Line($"Launch(\"channel_sum\", {conv.Filters}, {context.OutputGradient}, batch, {conv.Filters}, {OutputPlane(plan)}, Gradients, {bias});");
        }

        if (!context.NeedsInputGradient)
        {
            return;
        }

        writer.Line($"Tiled(\"conv_input_gradient\", {plan.Input[0]}, batch * {plan.Input[1] * plan.Input[2]}, {conv.Filters * conv.Kernel * conv.Kernel}, Parameters, {context.Parameter("weight")}, {context.OutputGradient}, {conv.Filters}, {geometry}, {context.InputGradient});");
        GpuLayerEmitter.EmitProducerDerivative(context, writer, plan.Input.Size);
    }

    private static string Kernel(Pool2DSpec pool) => pool.Kind == "MaxPool2D" ? "max_pool" : "avg_pool";

    private static int OutputPlane(LayerPlan plan) => plan.Output[1] * plan.Output[2];

    private static int Patch(LayerPlan plan, int kernel) => plan.Input[0] * kernel * kernel;

    /// <summary>
    /// The convolution geometry arguments: channels, height, width, window, stride, padTop, padLeft,
    /// outHeight, outWidth (the bottom and right padding are in the output size).
    /// </summary>
    private static string Geometry(LayerPlan plan, int window, int stride, WindowPads padding) =>
        $"{plan.Input[0]}, {plan.Input[1]}, {plan.Input[2]}, {window}, {stride}, {padding.Top}, {padding.Left}, {plan.Output[1]}, {plan.Output[2]}";

    /// <summary>
    /// The pooling geometry arguments: images (batch · channels), height, width, window, stride,
    /// padTop, padLeft, outHeight, outWidth, and for average pooling whether the padding is counted.
    /// </summary>
    private static string PoolGeometry(LayerPlan plan, Pool2DSpec pool) =>
        $"batch * {plan.Input[0]}, {plan.Input[1]}, {plan.Input[2]}, {pool.Pool}, {pool.Stride}, {pool.Padding.Top}, {pool.Padding.Left}, {plan.Output[1]}, {plan.Output[2]}"
        + (pool.Kind == "MaxPool2D" ? string.Empty : $", {(pool.CountIncludePad ? 1 : 0)}");

    private static string Derivative(GpuLayerContext context) =>
        context.ProducerActivation == ActivationKind.None ? string.Empty : $" ⊙ {context.ProducerActivation}′";
}
