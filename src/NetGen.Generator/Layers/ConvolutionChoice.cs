using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>Mirror of <c>NetGen.ConvolutionAlgorithm</c> (same names and values; a test keeps them in step).</summary>
internal enum ConvolutionAlgorithmKind
{
    Auto,
    Im2Col,
    Winograd,
    Direct,
}

/// <summary>The algorithm a Conv2D layer runs on the CPU, and why: a value of the plan, written into the generated code.</summary>
internal readonly record struct ConvolutionChoice(ConvolutionAlgorithmKind Algorithm, string Reason)
{
    /// <summary>Patch sizes (<c>channels·k·k</c>) up to which Auto picks the direct convolution: both benchmark CNNs' first layers, 9 and 27, where it was measured.</summary>
    public const int MostDirectPatch = 27;

    /// <summary>
    /// The algorithm for <paramref name="conv"/> over <paramref name="channels"/> input channels when no
    /// pooling is fused into it (see <see cref="ForPooled"/>). Auto is the direct convolution on an
    /// unpadded stride-1 layer of at most <see cref="MostDirectPatch"/> values per patch and a kernel of at
    /// least 2×2 (a 1×1 kernel needs no im2col): measured with its pooling fused, against im2col in one
    /// process (one core, best of 7, load 8), the MNIST CNN's conv1 at batch 64 ran forward 1.26× and
    /// forward plus backward 1.08× faster (its weight gradient then left to im2col; a pooled first layer's
    /// now runs the direct kernel too, straight from the pooled gradient, see the runtime's
    /// <c>DirectConvolution.PooledWeightGradient</c>), Chollet's at batch 32 forward 2.27× and forward plus backward 1.60×.
    /// Every other layer is im2col + GEMM: the benchmark CNNs have no unpooled 3×3 layer to measure on
    /// whole networks, and layer by layer (one core, interleaved, on a loaded machine) Winograd's forward
    /// pass ran 1.4-1.5× faster on Chollet's conv2-4 shapes but its backward pass 0.9-1.2×, and 0.4-1.0×
    /// on 1 or 3 channels. A layer that asks for an algorithm gets it.
    /// </summary>
    public static ConvolutionChoice For(Conv2DSpec conv, int channels) => conv.Algorithm switch
    {
        ConvolutionAlgorithmKind.Auto when conv.Kernel > 1 && conv.Stride == 1 && conv.Padding == default && channels * conv.Kernel * conv.Kernel <= MostDirectPatch =>
            new(ConvolutionAlgorithmKind.Direct, $"Auto: {channels * conv.Kernel * conv.Kernel} values per patch, too few for im2col's product; the direct convolution measured 1.08× (MNIST CNN) and 1.60× (Chollet) faster than im2col on their first layers, forward plus backward"),
        ConvolutionAlgorithmKind.Auto => new(ConvolutionAlgorithmKind.Im2Col, "Auto: im2col on a layer without a fused pooling; Winograd F(2×2, 3×3) is picked where it was measured faster, under a 2×2 max pooling"),
        ConvolutionAlgorithmKind.Im2Col => new(ConvolutionAlgorithmKind.Im2Col, "Algorithm = Im2Col"),
        ConvolutionAlgorithmKind.Winograd => new(ConvolutionAlgorithmKind.Winograd, "Algorithm = Winograd"),
        ConvolutionAlgorithmKind.Direct => new(ConvolutionAlgorithmKind.Direct, "Algorithm = Direct"),
    };

    /// <summary>
    /// The algorithm for Auto convolution <paramref name="conv"/> of <paramref name="inputChannels"/>
    /// channels with max pooling <paramref name="pool"/> fused into it (see <see cref="PoolFusion"/>):
    /// Winograd F(2×2, 3×3), whose 2×2 output tile is one pooling window, for a 3×3 stride-1 layer under
    /// a 2 × 2 stride-2 pooling with at least <see cref="WinogradMinChannels"/> input channels, else
    /// what <see cref="For"/> picks. Backward is Winograd too: the weight gradient through F(3×3, 2×2) over the
    /// same tiles where the channels fill its AVX-512 blocks (a multiple of 8 in, of 32 out), the input gradient
    /// through F(2×2, 3×3).
    /// </summary>
    public static ConvolutionChoice ForPooled(Conv2DSpec conv, int inputChannels, Pool2DSpec pool) =>
        conv.Algorithm == ConvolutionAlgorithmKind.Auto && conv.Kernel == 3 && conv.Stride == 1 && conv.Padding.Widest <= 2 && pool.Pool == 2 && pool.Stride == 2 && inputChannels >= WinogradMinChannels
            ? new(ConvolutionAlgorithmKind.Winograd, WinogradPooledReason)
            : For(conv, inputChannels);

    /// <summary>The algorithm Conv2D node <paramref name="node"/> runs: <see cref="ForPooled"/> when a max pooling is fused into it (<see cref="PoolFusion"/>), else <see cref="For"/>.</summary>
    public static ConvolutionChoice InPlan(NetworkPlan network, int node)
    {
        var layer = network.Layers[node];
        var conv = (Conv2DSpec)layer.Layer;
        var pool = PoolFusion.PoolOf(network, node);
        return pool < 0 ? For(conv, layer.Input[0]) : ForPooled(conv, layer.Input[0], (Pool2DSpec)network.Layers[pool].Layer);
    }

    /// <summary>
    /// Input channels from which the pooled Winograd pair beats the pooled im2col one. Measured in one
    /// process, old and new interleaved, one thread, best of 9 by thread CPU time, on a machine loaded by
    /// ~20 other processes: forward 2.5× (Chollet conv2, 32 channels), 2.3× (conv3), 2.1-2.9× (conv4) at
    /// batch 32, 1.8-5× (MNIST conv2, 16 channels) at batch 64 and 3.4× at batch 1. Backward, with both
    /// gradients through Winograd (one thread, best of 9 by thread CPU time, load 9-15): 1.4-1.5× the pooled
    /// im2col pair's on Chollet's conv2-4 at batch 32, 1.9× on the MNIST CNN's conv2 at batch 64. The first layers (1 or 3
    /// channels) are left to <see cref="For"/> (the direct convolution): there Winograd's products are too
    /// shallow to amortise the transforms.
    /// </summary>
    internal const int WinogradMinChannels = 16;

    private const string WinogradPooledReason = "Auto: a 3×3 stride-1 ReLU convolution of at least 16 input channels under a 2×2 stride-2 max pooling; forward measured 2.1-2.9× faster than im2col with the pooling fused on Chollet's conv2-4, backward 1.4-1.5×";

    /// <summary>
    /// The <c>Algorithm</c> argument, or null after reporting NG0007 (not a value of the enum) or
    /// NG0140 (an algorithm asked for a layer it cannot compute: Winograd needs a 3×3 kernel, stride 1
    /// and at most 2 of padding per side; Direct needs stride 1 and no padding).
    /// </summary>
    public static ConvolutionAlgorithmKind? Bind(AttributeArguments arguments, LayerDeclaration declaration, int kernel, int stride, WindowPads padding, List<DiagnosticInfo> diagnostics)
    {
        var value = arguments.Int("Algorithm", (int)ConvolutionAlgorithmKind.Auto);
        var layer = $"{kernel}×{kernel} kernel, stride {stride}" + (padding == default ? string.Empty : $", padding {padding}");
        switch ((ConvolutionAlgorithmKind)value)
        {
            case ConvolutionAlgorithmKind.Auto or ConvolutionAlgorithmKind.Im2Col:
                return (ConvolutionAlgorithmKind)value;
            case ConvolutionAlgorithmKind.Winograd when kernel == 3 && stride == 1 && padding.Widest <= 2:
                return ConvolutionAlgorithmKind.Winograd;
            case ConvolutionAlgorithmKind.Winograd:
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConvolutionAlgorithmDoesNotFit, arguments.LocationOf("Algorithm"), declaration.PropertyName, "Winograd", layer, "a 3×3 kernel, stride 1 and at most 2 of padding on each side"));
                return null;
            case ConvolutionAlgorithmKind.Direct when stride == 1 && padding == default:
                return ConvolutionAlgorithmKind.Direct;
            case ConvolutionAlgorithmKind.Direct:
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConvolutionAlgorithmDoesNotFit, arguments.LocationOf("Algorithm"), declaration.PropertyName, "Direct", layer, "stride 1 and no padding"));
                return null;
            default:
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.LocationOf("Algorithm"), declaration.PropertyName, $"{value} is not a ConvolutionAlgorithm value"));
                return null;
        }
    }
}
