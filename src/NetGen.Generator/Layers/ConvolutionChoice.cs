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
    /// The algorithm for <paramref name="conv"/> over <paramref name="channels"/> input channels. Auto is
    /// the direct convolution on an unpadded stride-1 layer of at most <see cref="MostDirectPatch"/>
    /// values per patch and a kernel of at least 2×2 (a 1×1 kernel needs no im2col): measured with its
    /// pooling fused, against im2col in one process (one core, best of 7, load 8), the MNIST CNN's conv1
    /// at batch 64 ran forward 1.26× and forward plus backward 1.08× faster (its weight gradient left to
    /// im2col, see the runtime's <c>DirectConvolution</c>), Chollet's at batch 32 forward 2.27× and
    /// forward plus backward 1.60× (an earlier run at load 18-22: 1.07× and 1.64-1.72×);
    /// im2col + GEMM on every other layer: measured
    /// layer by layer on both benchmark CNNs (MNIST CNN at batch 64, Chollet's convnet at batch 32,
    /// one core, one run on a shared machine), Winograd F(2×2, 3×3) ran the forward pass at
    /// 0.35-0.86× and forward plus backward at 0.27-1.05× of im2col's speed: its transformed tiles
    /// do not stay in cache between the transforms and the 16 products, which costs more than the
    /// 2.25× fewer multiply-adds save. A layer that asks for an algorithm gets it.
    /// </summary>
    public static ConvolutionChoice For(Conv2DSpec conv, int channels) => conv.Algorithm switch
    {
        ConvolutionAlgorithmKind.Auto when conv.Kernel > 1 && conv.Stride == 1 && conv.Padding == default && channels * conv.Kernel * conv.Kernel <= MostDirectPatch =>
            new(ConvolutionAlgorithmKind.Direct, $"Auto: {channels * conv.Kernel * conv.Kernel} values per patch, too few for im2col's product; the direct convolution measured 1.08× (MNIST CNN) and 1.60× (Chollet) faster than im2col on their first layers, forward plus backward"),
        ConvolutionAlgorithmKind.Auto => new(ConvolutionAlgorithmKind.Im2Col, "Auto: im2col measured faster than Winograd F(2×2, 3×3) on every layer of the MNIST and Chollet CNNs"),
        ConvolutionAlgorithmKind.Im2Col => new(ConvolutionAlgorithmKind.Im2Col, "Algorithm = Im2Col"),
        ConvolutionAlgorithmKind.Winograd => new(ConvolutionAlgorithmKind.Winograd, "Algorithm = Winograd"),
        ConvolutionAlgorithmKind.Direct => new(ConvolutionAlgorithmKind.Direct, "Algorithm = Direct"),
    };

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
