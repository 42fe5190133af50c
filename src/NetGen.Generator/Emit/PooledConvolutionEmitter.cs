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
        var choice = ConvolutionChoice.ForPooled(conv, plan.Input[0], poolSpec);
        var winograd = choice.Algorithm == ConvolutionAlgorithmKind.Winograd;
        writer.Line($"// {pool.Plan.Layer.StateName}{pool.Plan.Output.WithBatch} = maxpool{poolSpec.Pool}×{poolSpec.Pool}(ReLU({affine})), positions{pool.Plan.Output.WithBatch} = where each maximum was");
        if (winograd)
        {
            writer.Line($"// Algorithm: Winograd F(2×2, 3×3) with {pool.Plan.Layer.StateName} fused into its output transform ({choice.Reason}).");
            writer.Line($"// In blocks of 48 tiles kept in cache: each 4×4 input tile transformed, 16 products [{conv.Filters}, {plan.Input[0]}] · [{plan.Input[0]}, tiles], each 2×2 output tile (one pooling window) transformed back with bias, ReLU and its maximum; y{plan.Output.WithBatch} is never written, its slot keeps the positions.");
        }
        else
        {
            writer.Line($"// Algorithm: {(choice.Algorithm == ConvolutionAlgorithmKind.Direct ? $"direct convolution ({choice.Reason})" : "im2col + GEMM")} with {pool.Plan.Layer.StateName} fused into its epilogue ({PoolFusion.Reason}).");
            writer.Line(choice.Algorithm == ConvolutionAlgorithmKind.Direct
                ? $"// Sample by sample: each of the {plan.Input[0] * conv.Kernel * conv.Kernel} taps one load of x at a fixed offset, the {conv.Filters} filters 8 at a time × 48 pixels accumulated in registers with bias and ReLU, each plane pooled while in cache; y{plan.Output.WithBatch} is never written, its slot keeps the positions."
                : $"// In chunks of samples: im2col to [{plan.Input[0] * conv.Kernel * conv.Kernel}, {plan.Output[1] * plan.Output[2]}] columns per sample, one product per chunk with bias and ReLU, each plane pooled while in cache; y{plan.Output.WithBatch} is never written, its slot keeps the positions.");
        }

        writer.Line(Conv2DLayer.Geometry(plan, conv.Kernel, conv.Stride, conv.Padding));
        writer.Line(PoolGeometry(context, poolSpec));
        writer.Line($"global::NetGen.{(winograd ? "WinogradPooledConvolution" : "PooledConvolution")}.Forward<float>(x: {context.Input}, weight: {context.Parameter("weight")}, bias: {context.Parameter("bias")}, y: {pool.Output}, positions: {Positions(context)}, batch: batch, geometry: geometry, filters: {conv.Filters}, pool: pool{(winograd ? string.Empty : Conv2DLayer.AlgorithmArgument(choice.Algorithm))});");
    }

    public static void EmitBackward(LayerContext context, int poolNode, SourceWriter writer)
    {
        var plan = context.Plan;
        var conv = (Conv2DSpec)plan.Layer;
        var pool = new LayerContext(context.Network, poolNode);
        var poolSpec = (Pool2DSpec)pool.Plan.Layer;
        var derivative = context.ProducerActivation == ActivationKind.None ? string.Empty : $" ⊙ {context.ProducerActivation}′";
        var choice = ConvolutionChoice.ForPooled(conv, plan.Input[0], poolSpec);
        var winograd = choice.Algorithm == ConvolutionAlgorithmKind.Winograd;
        var inputGradient = winograd && conv.Padding.Top % 2 == 0 && conv.Padding.Left % 2 == 0
            ? "dz ⊛ rot180(weight)ᵀ by Winograd F(2×2, 3×3), each 4×4 block of dz rebuilt from 2×2 pooling windows"
            : "col2im(weightᵀ · dz)";
        var dz = $"dz = d{pool.Plan.Layer.StateName} at each maximum's position where {pool.Plan.Layer.StateName} > 0 (ReLU′), 0 elsewhere in its window";
        // Whether the Winograd weight gradient's AVX-512 blocks fit is the runtime's to say (NetGen.WinogradWeightGradient.Runs): it knows the CPU.
        var parameterGradients = winograd
            ? $"{dz}; dweight = Gᵀ [Σ_tiles (A dz Aᵀ) ⊙ (Bᵀ x B)] G by Winograd F(3×3, 2×2) in sample groups, dz one 2×2 tile a window, never written, where its AVX-512 blocks fit (8 | channels, 32 | filters), else Σ_samples dz · im2col(x)ᵀ"
            : $"{dz}, rebuilt chunk by chunk; dweight = Σ_samples dz · im2col(x)ᵀ";
        writer.Line($"// {parameterGradients}" + (conv.HasBias ? ", dbias = Σ dz" : string.Empty) + $", dx = {inputGradient}{derivative}");
        writer.Line(Conv2DLayer.Geometry(plan, conv.Kernel, conv.Stride, conv.Padding));
        writer.Line(PoolGeometry(context, poolSpec));
        writer.Line($"global::NetGen.{(winograd ? "WinogradPooledConvolution" : "PooledConvolution")}.Backward<float>(dy: {pool.OutputGradient}, y: {pool.Output}, positions: {Positions(context)}, x: {context.Input}, weight: {context.Parameter("weight")}, weightGradient: {context.ParameterGradient("weight")}, biasGradient: {context.ParameterGradient("bias")}, dx: {context.InputGradient}, batch: batch, geometry: geometry, filters: {conv.Filters}, pool: pool, previousActivation: {ActivationTable.Of(context.ProducerActivation).Literal}, previousSaved: {context.ProducerSaved}{context.AccumulateArgument}{(winograd ? string.Empty : Conv2DLayer.AlgorithmArgument(choice.Algorithm))});");
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
