using System;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// Winograd F(2×2, 3×3) for 3×3 stride-1 convolutions: each 2×2 block of output comes from a 4×4
/// block of input through 16 products instead of 36, so the convolution's multiply-adds drop by
/// 2.25×, at the cost of transforming inputs, weights and outputs. The 16 element-wise products of
/// a block of tiles are 16 matrix products <c>[out, in] · [in, tiles]</c>, computed by
/// <see cref="WinogradTiles"/> in blocks that stay in cache from the input to the output transform.
/// The input gradient is the same algorithm run on the output gradient with the weights turned
/// 180° and transposed (a "full" correlation); the weight gradient stays im2col + GEMM, since its
/// product has the tiles as its inner dimension, where Winograd saves nothing on the inner loop.
/// Rounding differs from im2col's (the transforms add and halve): within float's tolerances of
/// PyTorch for the networks tested, exact in float64 up to a few ulps.
/// </summary>
public static class WinogradConvolution
{
    /// <summary>
    /// Whether <paramref name="geometry"/> is a convolution this algorithm computes: 3×3, stride 1,
    /// no side padded by more than 2 (so the input gradient's "full" correlation has padding ≥ 0).
    /// </summary>
    public static bool Fits(in WindowGeometry geometry) =>
        geometry.Window == 3 && geometry.Stride == 1
        && Math.Max(Math.Max(geometry.PadTop, geometry.PadLeft), Math.Max(geometry.PadBottom, geometry.PadRight)) <= 2;

    /// <summary>
    /// <c>y = act(W ⊛ x + b)</c>, as <see cref="Conv2D.Forward{T}"/> computes it (same arguments, same
    /// layouts), through Winograd F(2×2, 3×3). GELU keeps its pre-activation in <paramref name="preActivation"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The geometry does not <see cref="Fits"/>, the activation is not elementwise, or a span is shorter than the batch needs.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<T> preActivation, int batch, in WindowGeometry geometry, int filters, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(geometry);
        if (!Activations.IsElementwise(activation))
        {
            throw new ArgumentException($"A convolution's activation must be elementwise, not {activation}.", nameof(activation));
        }

        var g = geometry;
        var outputSize = filters * g.OutputPlane;
        WindowGeometry.CheckLength(x.Length, batch, g.InputSize, nameof(x));
        WindowGeometry.CheckLength(y.Length, batch, outputSize, nameof(y));
        WindowGeometry.CheckLength(weight.Length, 1, filters * g.PatchSize, nameof(weight));
        var savesPreActivation = Activations.SavesPreActivation(activation);
        var target = savesPreActivation ? preActivation[..(batch * outputSize)] : y[..(batch * outputSize)];
        WinogradTiles.Convolve(x, batch, g, filters, weight, flipped: false, bias, target);
        if (savesPreActivation)
        {
            for (var i = 0; i < target.Length; i++)
            {
                y[i] = Activations.Apply(activation, target[i]);
            }
        }
        else
        {
            Activations.ApplyRows(activation, target, batch, outputSize);
        }
    }

    /// <summary>
    /// The gradients <see cref="Conv2D.Backward{T}"/> computes (same arguments): the weight and bias
    /// gradients by im2col + GEMM, then, when <paramref name="dx"/> is not empty,
    /// <c>dx = (dz ⊛_full rot180(W)ᵀ) ⊙ act′(saved)</c> through Winograd F(2×2, 3×3).
    /// </summary>
    /// <exception cref="ArgumentException">The geometry does not <see cref="Fits"/>, or a span is shorter than the batch needs.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> weightGradient, Span<T> biasGradient, Span<T> dx, int batch, in WindowGeometry geometry, int filters, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(geometry);
        var g = geometry;
        Conv2D.Backward(dz, x, weight, weightGradient, biasGradient, Span<T>.Empty, batch, g, filters, Activation.None, ReadOnlySpan<T>.Empty, accumulate);
        if (dx.IsEmpty)
        {
            return;
        }

        WindowGeometry.CheckLength(dx.Length, batch, g.InputSize, nameof(dx));
        var full = new WindowGeometry(filters, g.OutputHeight, g.OutputWidth, 3, 1, 2 - g.PadTop, 2 - g.PadLeft, 2 - g.PadBottom, 2 - g.PadRight);
        WinogradTiles.Convolve(dz, batch, full, g.Channels, weight, flipped: true, ReadOnlySpan<T>.Empty, dx[..(batch * g.InputSize)]);
        if (previousActivation != Activation.None)
        {
            Activations.Backward(previousActivation, dx, previousSaved, batch, g.InputSize);
        }
    }

    private static void Check(in WindowGeometry geometry)
    {
        if (!Fits(geometry))
        {
            throw new ArgumentException($"Winograd F(2×2, 3×3) computes 3×3 stride-1 convolutions padded by at most 2, not {geometry}.", nameof(geometry));
        }
    }
}
