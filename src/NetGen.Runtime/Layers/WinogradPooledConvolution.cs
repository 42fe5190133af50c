using System;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// A ReLU 3×3 convolution and the 2 × 2, stride-2 max pooling after it, forward through Winograd
/// F(2×2, 3×3): a 2×2 output tile of the algorithm is exactly one pooling window, so each tile is
/// transformed back, given its bias and ReLU, and pooled while in registers; only the pooled image and
/// each maximum's position in its convolution plane reach memory. The outputs are those of
/// <see cref="PooledConvolution.Forward{T}"/> up to Winograd's rounding (the same positions wherever the
/// maximum of a window is not a near-tie). Backward is Winograd too: the weight gradient through
/// F(3×3, 2×2) over the same tiles (<see cref="WinogradWeightGradient"/>), the input gradient through
/// F(2×2, 3×3) with the kernels turned 180°.
/// </summary>
public static class WinogradPooledConvolution
{
    /// <summary>Whether the convolution <paramref name="geometry"/> and the pooling <paramref name="pool"/> over its output are a pair this class computes.</summary>
    public static bool Fits(in WindowGeometry geometry, in WindowGeometry pool) =>
        WinogradConvolution.Fits(geometry) && pool.Window == 2 && pool.Stride == 2 && !pool.IsPadded;

    /// <summary>
    /// <c>y = maxpool2×2(ReLU(W ⊛ x + b))</c>, and in <paramref name="positions"/> the index within its
    /// convolution plane of the value each output took, with the arguments and layouts of
    /// <see cref="PooledConvolution.Forward{T}"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The pair does not <see cref="Fits"/>, the pooling does not read the convolution's output, or a span is shorter than the batch needs.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<int> positions, int batch, in WindowGeometry geometry, int filters, in WindowGeometry pool)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = geometry;
        Check(g, filters, pool);
        PooledConvolution.CheckForwardLengths(x, weight, bias, y, positions, batch, g, filters, pool);
        var pooledSize = filters * pool.OutputPlane;

        WinogradTiles.ConvolvePooled(x[..(batch * g.InputSize)], batch, g, filters, weight, bias, y[..(batch * pooledSize)], positions[..(batch * pooledSize)]);
    }

    /// <summary>
    /// The gradients <see cref="PooledConvolution.Backward{T}"/> computes (same arguments): the weight and
    /// bias gradients of each sample group through <see cref="WinogradWeightGradient"/> (in float, where its
    /// AVX-512 blocks do not fit the channels, im2col + GEMM as <see cref="PooledConvolution"/> computes them),
    /// the groups' partials summed pairwise; then, when
    /// <paramref name="dx"/> is not empty, the input gradient through Winograd F(2×2, 3×3) with the kernels
    /// turned 180°, each 4×4 block of the convolution's gradient rebuilt from 2 × 2 pooling windows as it
    /// is transformed, then the previous activation's derivative. A layer padded by 1 at the top or left,
    /// whose blocks would straddle windows, gets its input gradient from im2col too.
    /// </summary>
    /// <exception cref="ArgumentException">The pair does not <see cref="Fits"/>, or a span is shorter than the batch needs.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, ReadOnlySpan<int> positions, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> weightGradient, Span<T> biasGradient, Span<T> dx, int batch, in WindowGeometry geometry, int filters, in WindowGeometry pool, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = geometry;
        Check(g, filters, pool);
        var winogradInputGradient = !dx.IsEmpty && WinogradTiles.FitsPooledGradient(g);
        PooledConvolution.BackwardPair(dy, y, positions, x, weight, weightGradient, biasGradient, winogradInputGradient ? Span<T>.Empty : dx, batch, g, filters, pool, previousActivation, previousSaved, accumulate, direct: false, winogradWeights: WinogradWeightGradient.Runs<T>(g.Channels, filters));
        if (!winogradInputGradient)
        {
            return;
        }

        WindowGeometry.CheckLength(dx.Length, batch, g.InputSize, nameof(dx));
        if (previousActivation != Activation.None)
        {
            WindowGeometry.CheckLength(previousSaved.Length, batch, g.InputSize, nameof(previousSaved));
        }

        var pooledSize = filters * pool.OutputPlane;
        WinogradTiles.ConvolvePooledGradient(dy[..(batch * pooledSize)], y[..(batch * pooledSize)], positions[..(batch * pooledSize)], batch, g, filters, weight, dx[..(batch * g.InputSize)]);
        if (previousActivation != Activation.None)
        {
            Activations.Backward(previousActivation, dx, previousSaved, batch, g.InputSize);
        }
    }

    private static void Check(in WindowGeometry g, int filters, in WindowGeometry pool)
    {
        if (!Fits(g, pool))
        {
            throw new ArgumentException($"Winograd F(2×2, 3×3) with pooling computes a 3×3 stride-1 convolution padded by at most 2 under an unpadded 2×2 stride-2 max pooling, not {g} under {pool}.", nameof(pool));
        }

        if (pool.Channels != filters || pool.Height != g.OutputHeight || pool.Width != g.OutputWidth)
        {
            throw new ArgumentException($"The pooling {pool} does not read the convolution's output [{filters}, {g.OutputHeight}, {g.OutputWidth}].", nameof(pool));
        }
    }
}
