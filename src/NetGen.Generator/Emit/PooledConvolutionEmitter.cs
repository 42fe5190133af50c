using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// The CPU code of a Conv2D node with the MaxPool2D after it in its epilogue (see <see cref="PoolFusion"/>):
/// one <c>NetGen.PooledConvolution</c> call each way writes the pool's output and reads its gradient. The
/// convolution's own output is never written; its slot, larger than the pooled image, holds each pooled
/// value's position for backward.
/// </summary>
internal static class PooledConvolutionEmitter
{
    public static void EmitForward(LayerContext context, int poolNode, SourceWriter writer)
    {
        var plan = context.Plan;
        var conv = (Conv2DSpec)plan.Layer;
        var pool = new LayerContext(context.Network, poolNode);
        var poolSpec = (Pool2DSpec)pool.Plan.Layer;
        var affine = $"weight[{conv.Filters}, {plan.Input[0]}, {conv.Kernel}, {conv.Kernel}] ⊛ x{plan.Input.WithBatch}" + (conv.HasBias ? " + bias" : string.Empty);
        writer.Line($"// {pool.Plan.Layer.StateName}{pool.Plan.Output.WithBatch} = maxpool{poolSpec.Pool}×{poolSpec.Pool}(ReLU({affine})), positions{pool.Plan.Output.WithBatch} = where each maximum was");
        var choice = ConvolutionChoice.For(conv, plan.Input[0]);
        writer.Line($"// Algorithm: {(choice.Algorithm == ConvolutionAlgorithmKind.Direct ? $"direct convolution ({choice.Reason})" : "im2col + GEMM")} with {pool.Plan.Layer.StateName} fused into its epilogue ({PoolFusion.Reason}).");
        writer.Line(choice.Algorithm == ConvolutionAlgorithmKind.Direct
            ? $"// Sample by sample: each of the {plan.Input[0] * conv.Kernel * conv.Kernel} taps one load of x at a fixed offset, the {conv.Filters} filters 8 at a time × 48 pixels accumulated in registers with bias and ReLU, each plane pooled while in cache; y{plan.Output.WithBatch} is never written, its slot keeps the positions."
            : $"// In chunks of samples: im2col to [{plan.Input[0] * conv.Kernel * conv.Kernel}, {plan.Output[1] * plan.Output[2]}] columns per sample, one product per chunk with bias and ReLU, each plane pooled while in cache; y{plan.Output.WithBatch} is never written, its slot keeps the positions.");
        writer.Line(Conv2DLayer.Geometry(plan, conv.Kernel, conv.Stride, conv.Padding));
        writer.Line(PoolGeometry(context, poolSpec));
        writer.Line($"global::NetGen.PooledConvolution.Forward<float>(x: {context.Input}, weight: {context.Parameter("weight")}, bias: {context.Parameter("bias")}, y: {pool.Output}, positions: {Positions(context)}, batch: batch, geometry: geometry, filters: {conv.Filters}, pool: pool{Conv2DLayer.AlgorithmArgument(choice.Algorithm)});");
    }

    public static void EmitBackward(LayerContext context, int poolNode, SourceWriter writer)
    {
        var plan = context.Plan;
        var conv = (Conv2DSpec)plan.Layer;
        var pool = new LayerContext(context.Network, poolNode);
        var poolSpec = (Pool2DSpec)pool.Plan.Layer;
        var derivative = context.ProducerActivation == ActivationKind.None ? string.Empty : $" ⊙ {context.ProducerActivation}′";
        writer.Line($"// dz = d{pool.Plan.Layer.StateName} routed to each maximum's position where {pool.Plan.Layer.StateName} > 0 (ReLU′), rebuilt chunk by chunk; dweight = Σ_samples dz · im2col(x)ᵀ" + (conv.HasBias ? ", dbias = Σ dz" : string.Empty) + $", dx = col2im(weightᵀ · dz){derivative}");
        writer.Line(Conv2DLayer.Geometry(plan, conv.Kernel, conv.Stride, conv.Padding));
        writer.Line(PoolGeometry(context, poolSpec));
        writer.Line($"global::NetGen.PooledConvolution.Backward<float>(dy: {pool.OutputGradient}, y: {pool.Output}, positions: {Positions(context)}, x: {context.Input}, weight: {context.Parameter("weight")}, weightGradient: {context.ParameterGradient("weight")}, biasGradient: {context.ParameterGradient("bias")}, dx: {context.InputGradient}, batch: batch, geometry: geometry, filters: {conv.Filters}, pool: pool, previousActivation: {ActivationTable.Of(context.ProducerActivation).Literal}, previousSaved: {context.ProducerSaved}{context.AccumulateArgument}{Conv2DLayer.AlgorithmArgument(ConvolutionChoice.For(conv, plan.Input[0]).Algorithm)});");
    }

    /// <summary>The pooling window over the convolution's output.</summary>
    private static string PoolGeometry(LayerContext context, Pool2DSpec pool)
    {
        var output = context.Plan.Output;
        return $"var pool = new global::NetGen.WindowGeometry(channels: {output[0]}, height: {output[1]}, width: {output[2]}, window: {pool.Pool}, stride: {pool.Stride}, padding: 0);";
    }

    /// <summary>The convolution's output slot as the positions' ints.</summary>
    private static string Positions(LayerContext context) => $"global::System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>({context.Output})";
}
