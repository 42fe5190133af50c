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
}

/// <summary>The algorithm a Conv2D layer runs on the CPU, and why: a value of the plan, written into the generated code.</summary>
internal readonly record struct ConvolutionChoice(ConvolutionAlgorithmKind Algorithm, string Reason)
{
    /// <summary>
    /// The algorithm for <paramref name="conv"/>. Auto is im2col + GEMM on every layer: measured
    /// layer by layer on both benchmark CNNs (MNIST CNN at batch 64, Chollet's convnet at batch 32,
    /// one core, one run on a shared machine), Winograd F(2×2, 3×3) ran the forward pass at
    /// 0.35-0.86× and forward plus backward at 0.27-1.05× of im2col's speed: its transformed tiles
    /// do not stay in cache between the transforms and the 16 products, which costs more than the
    /// 2.25× fewer multiply-adds save. A layer that asks for Winograd gets it.
    /// </summary>
    public static ConvolutionChoice For(Conv2DSpec conv) => conv.Algorithm switch
    {
        ConvolutionAlgorithmKind.Auto => new(ConvolutionAlgorithmKind.Im2Col, "Auto: im2col measured faster than Winograd F(2×2, 3×3) on every layer of the MNIST and Chollet CNNs"),
        ConvolutionAlgorithmKind.Im2Col => new(ConvolutionAlgorithmKind.Im2Col, "Algorithm = Im2Col"),
        ConvolutionAlgorithmKind.Winograd => new(ConvolutionAlgorithmKind.Winograd, "Algorithm = Winograd"),
    };

    /// <summary>
    /// The algorithm for Auto convolution <paramref name="conv"/> of <paramref name="inputChannels"/>
    /// channels with max pooling <paramref name="pool"/> fused into it (see <see cref="PoolFusion"/>):
    /// Winograd F(2×2, 3×3), whose 2×2 output tile is one pooling window, for a 3×3 stride-1 layer under
    /// a 2 × 2 stride-2 pooling with at least <see cref="WinogradMinChannels"/> input channels, else
    /// im2col + GEMM. Backward stays im2col + GEMM either way.
    /// </summary>
    public static ConvolutionChoice ForPooled(Conv2DSpec conv, int inputChannels, Pool2DSpec pool) =>
        conv.Kernel == 3 && conv.Stride == 1 && conv.Padding.Widest <= 2 && pool.Pool == 2 && pool.Stride == 2 && inputChannels >= WinogradMinChannels
            ? new(ConvolutionAlgorithmKind.Winograd, WinogradPooledReason)
            : new(ConvolutionAlgorithmKind.Im2Col, PoolFusion.Reason);

    /// <summary>
    /// Input channels from which a pooled Winograd forward pass beats the pooled im2col one. Measured
    /// in one process, old and new interleaved (one core, best of 7): see <see cref="WinogradPooledReason"/>.
    /// </summary>
    internal const int WinogradMinChannels = 16;

    private const string WinogradPooledReason = "Auto: a 3×3 stride-1 ReLU convolution of at least 16 input channels under a 2×2 stride-2 max pooling; its forward pass measured MEASUREMENT faster than im2col's with the pooling fused, on the MNIST and Chollet CNNs";

    /// <summary>
    /// The <c>Algorithm</c> argument, or null after reporting NG0007 (not a value of the enum) or
    /// NG0140 (Winograd asked for a layer it cannot compute: it needs a 3×3 kernel, stride 1 and at most 2 of padding per side).
    /// </summary>
    public static ConvolutionAlgorithmKind? Bind(AttributeArguments arguments, LayerDeclaration declaration, int kernel, int stride, WindowPads padding, List<DiagnosticInfo> diagnostics)
    {
        var value = arguments.Int("Algorithm", (int)ConvolutionAlgorithmKind.Auto);
        switch ((ConvolutionAlgorithmKind)value)
        {
            case ConvolutionAlgorithmKind.Auto or ConvolutionAlgorithmKind.Im2Col:
                return (ConvolutionAlgorithmKind)value;
            case ConvolutionAlgorithmKind.Winograd when kernel == 3 && stride == 1 && padding.Widest <= 2:
                return ConvolutionAlgorithmKind.Winograd;
            case ConvolutionAlgorithmKind.Winograd:
                var layer = $"{kernel}×{kernel} kernel, stride {stride}" + (padding == default ? string.Empty : $", padding {padding}");
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConvolutionAlgorithmDoesNotFit, arguments.LocationOf("Algorithm"), declaration.PropertyName, "Winograd", layer, "a 3×3 kernel, stride 1 and at most 2 of padding on each side"));
                return null;
            default:
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.LocationOf("Algorithm"), declaration.PropertyName, $"{value} is not a ConvolutionAlgorithm value"));
                return null;
        }
    }
}
