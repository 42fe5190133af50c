using System;
using System.Numerics;
using System.Runtime.Intrinsics.X86;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// Winograd F(2×2, 3×3) over 2×2 output tiles: each tile's 4×4 input block becomes
/// <c>V = Bᵀ d B</c> per input channel, the weights <c>U[ξ][out, in] = G g Gᵀ</c>, each of the 16
/// points ξ one product <c>M[ξ][out, tile] = Σ_in U[ξ][out, in] · V[ξ][in, tile]</c> summed over the
/// input channels in order, and each tile's 2×2 output <c>Aᵀ M A</c> (+ bias). A tile's output is either
/// stored (tiles past the last row or column of an odd-sized output drop their extra values) or, for
/// a ReLU convolution pooled 2 × 2 with stride 2, is exactly one pooling window: ReLU, its maximum and
/// the maximum's position in the convolution plane are taken right there, and the convolution's full
/// output never exists. Float on AVX-512 runs <see cref="WinogradTilesFloat"/> (blocks of tiles kept in
/// cache from the input transform to the output transform); other types and CPUs compute tile by tile.
/// Every value is computed the same way whichever block, chunk or thread holds its tile.
/// </summary>
internal static class WinogradTiles
{
    /// <summary>Points of the transformed 4×4 tile, each one element-wise product of the algorithm.</summary>
    internal const int Points = 16;

    /// <summary>Output channels per row block of the packed weights (<see cref="TransformWeights{T}"/>).</summary>
    internal const int BlockRows = 8;

    /// <summary>
    /// Correlates the 3×3 kernels with <paramref name="input"/> (<paramref name="batch"/> samples of
    /// <paramref name="g"/>) into <paramref name="output"/> (<c>[batch, outChannels, OH, OW]</c>,
    /// overwritten). <paramref name="weight"/> is <c>[outChannels, in, 3, 3]</c>, or when
    /// <paramref name="flipped"/> <c>[in, outChannels, 3, 3]</c> read turned by 180° (the input gradient).
    /// </summary>
    public static void Convolve<T>(ReadOnlySpan<T> input, int batch, in WindowGeometry g, int outChannels, ReadOnlySpan<T> weight, bool flipped, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(input, default, default, batch, g, outChannels, weight, flipped, bias, output, Span<int>.Empty, pooled: false);

    /// <summary>
    /// <c>output = maxpool2×2(ReLU(W ⊛ input + b))</c> (stride 2, unpadded: <c>[batch, outChannels, OH / 2, OW / 2]</c>),
    /// and in <paramref name="positions"/> each maximum's index within its convolution plane (the first
    /// maximum, as <see cref="MaxPool2D"/> picks it). A last odd row or column of the convolution, which
    /// no window reads, is never computed.
    /// </summary>
    public static void ConvolvePooled<T>(ReadOnlySpan<T> input, int batch, in WindowGeometry g, int outChannels, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> output, Span<int> positions)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(input, default, default, batch, g, outChannels, weight, flipped: false, bias, output, positions, pooled: true);

    /// <summary>
    /// The input gradient of <see cref="ConvolvePooled{T}"/>'s convolution <paramref name="g"/> (weight
    /// <c>[filters, channels, 3, 3]</c>) into <paramref name="dx"/> (overwritten), from the pooled gradient
    /// <paramref name="dy"/>, the pooled output <paramref name="y"/> and the <paramref name="positions"/>
    /// it wrote: the full correlation of the convolution's gradient with the kernels turned 180°, whose
    /// 4×4 input blocks are rebuilt from 2 × 2 pooling windows each as they are transformed, so that
    /// gradient is never written. Needs <see cref="FitsPooledGradient"/>.
    /// </summary>
    public static void ConvolvePooledGradient<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, ReadOnlySpan<int> positions, int batch, in WindowGeometry g, int filters, ReadOnlySpan<T> weight, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var full = new WindowGeometry(filters, g.OutputHeight, g.OutputWidth, 3, 1, 2 - g.PadTop, 2 - g.PadLeft, 2 - g.PadBottom, 2 - g.PadRight);
        Run(dy, y, positions, batch, full, g.Channels, weight, flipped: true, ReadOnlySpan<T>.Empty, dx, Span<int>.Empty, pooled: false);
    }

    /// <summary>
    /// Whether <see cref="ConvolvePooledGradient{T}"/> computes the input gradient of <paramref name="g"/>:
    /// with its top and left padding 0 or 2, each 4×4 block of the gradient correlation starts on a pooling window.
    /// </summary>
    public static bool FitsPooledGradient(in WindowGeometry g) => g.PadTop % 2 == 0 && g.PadLeft % 2 == 0;

    /// <summary>
    /// The weights as <c>U</c>, packed for the products: row block <c>b</c> (output channels
    /// <c>[8b, 8b + 8)</c>, zero past the last) holds for each point ξ and input channel the 8 values of
    /// its channels, at <c>((b · 16 + ξ) · in + i) · 8 + o mod 8</c>. G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]].
    /// </summary>
    internal static void TransformWeights<T>(ReadOnlySpan<T> weight, int outChannels, int inChannels, bool flipped, Span<T> packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = T.One / (T.One + T.One);
        packed.Clear();
        Span<T> h = stackalloc T[12];
        for (var o = 0; o < outChannels; o++)
        {
            for (var i = 0; i < inChannels; i++)
            {
                var kernel = flipped ? weight.Slice(((i * outChannels) + o) * 9, 9) : weight.Slice(((o * inChannels) + i) * 9, 9);
                for (var q = 0; q < 3; q++)
                {
                    // G g, one kernel column at a time (a flipped kernel read from its far corner).
                    T g0 = Tap(kernel, 0, q, flipped), g1 = Tap(kernel, 1, q, flipped), g2 = Tap(kernel, 2, q, flipped);
                    h[q] = g0;
                    h[3 + q] = (g0 + g1 + g2) * half;
                    h[6 + q] = (g0 - g1 + g2) * half;
                    h[9 + q] = g2;
                }

                for (var r = 0; r < 4; r++)
                {
                    T h0 = h[3 * r], h1 = h[(3 * r) + 1], h2 = h[(3 * r) + 2];
                    var point = 4 * r;
                    packed[PackedIndex(o, i, point, inChannels)] = h0;
                    packed[PackedIndex(o, i, point + 1, inChannels)] = (h0 + h1 + h2) * half;
                    packed[PackedIndex(o, i, point + 2, inChannels)] = (h0 - h1 + h2) * half;
                    packed[PackedIndex(o, i, point + 3, inChannels)] = h2;
                }
            }
        }
    }

    /// <summary>Values of the packed weights of <paramref name="outChannels"/> × <paramref name="inChannels"/> kernels.</summary>
    internal static int PackedLength(int outChannels, int inChannels) => RowBlocks(outChannels) * Points * inChannels * BlockRows;

    /// <summary>Row blocks of <see cref="BlockRows"/> output channels.</summary>
    internal static int RowBlocks(int outChannels) => (outChannels + BlockRows - 1) / BlockRows;

    private static int PackedIndex(int o, int i, int point, int inChannels) =>
        ((((o / BlockRows * Points) + point) * inChannels) + i) * BlockRows + (o % BlockRows);

    private static T Tap<T>(ReadOnlySpan<T> kernel, int row, int column, bool flipped) =>
        flipped ? kernel[((2 - row) * 3) + 2 - column] : kernel[(row * 3) + column];

    /// <summary>
    /// Computes through the AVX-512 blocks or tile by tile. <paramref name="input"/> is an image, or when
    /// <paramref name="pooledOutput"/> is not empty a pooled gradient whose windows (with
    /// <paramref name="argmax"/>) stand for the <paramref name="g"/>-shaped image.
    /// </summary>
    private static void Run<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> pooledOutput, ReadOnlySpan<int> argmax, int batch, in WindowGeometry g, int outChannels, ReadOnlySpan<T> weight, bool flipped, ReadOnlySpan<T> bias, Span<T> output, Span<int> positions, bool pooled)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> packed;
        if (flipped)
        {
            var scratch = ThreadScratch<ScratchPurpose.WinogradWeights, T>.Rent(PackedLength(outChannels, g.Channels));
            Transform(weight, outChannels, g.Channels, flipped, scratch);
            packed = scratch;
        }
        else
        {
            // A forward pass: its kernels are often those of the last pass (inference), whose U is kept.
            packed = WinogradWeightCache<T>.Packed(weight, outChannels, g.Channels);
        }

        if (typeof(T) == typeof(float) && Avx512F.IsSupported)
        {
            WinogradTilesFloat.Run(
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(input),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(pooledOutput),
                argmax,
                batch,
                g,
                outChannels,
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(packed),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(bias),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(output),
                positions,
                pooled);
            return;
        }

        TileByTile(input, pooledOutput, argmax, batch, g, outChannels, packed, bias, output, positions, pooled);
    }

    /// <summary><see cref="TransformWeights{T}"/>, through <see cref="WinogradTilesFloat.TransformWeights"/> for float on AVX-512 (the same values).</summary>
    internal static void Transform<T>(ReadOnlySpan<T> weight, int outChannels, int inChannels, bool flipped, Span<T> packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Avx512F.IsSupported)
        {
            WinogradTilesFloat.TransformWeights(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(weight), outChannels, inChannels, flipped, System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(packed));
            return;
        }

        TransformWeights(weight, outChannels, inChannels, flipped, packed);
    }

    /// <summary>The algorithm one tile at a time, for double and for CPUs without AVX-512.</summary>
    private static void TileByTile<T>(ReadOnlySpan<T> input, ReadOnlySpan<T> pooledOutput, ReadOnlySpan<int> argmax, int batch, in WindowGeometry g, int outChannels, ReadOnlySpan<T> packed, ReadOnlySpan<T> bias, Span<T> output, Span<int> positions, bool pooled)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int channels = g.Channels, outHeight = g.OutputHeight, outWidth = g.OutputWidth;
        var (tileRows, tileColumns) = pooled ? (outHeight / 2, outWidth / 2) : ((outHeight + 1) / 2, (outWidth + 1) / 2);
        var outPlane = pooled ? tileRows * tileColumns : outHeight * outWidth;
        var transformed = ThreadScratch<ScratchPurpose.WinogradTiles, T>.Rent(Points * channels);
        Span<T> d = stackalloc T[Points];
        Span<T> m = stackalloc T[Points];
        Span<T> y = stackalloc T[4];
        for (var s = 0; s < batch; s++)
        {
            for (var i = 0; i < tileRows; i++)
            {
                for (var j = 0; j < tileColumns; j++)
                {
                    for (var c = 0; c < channels; c++)
                    {
                        if (pooledOutput.IsEmpty)
                        {
                            var plane = input.Slice(((s * channels) + c) * g.Height * g.Width, g.Height * g.Width);
                            for (var r = 0; r < 4; r++)
                            {
                                for (var q = 0; q < 4; q++)
                                {
                                    int row = (2 * i) - g.PadTop + r, column = (2 * j) - g.PadLeft + q;
                                    d[(4 * r) + q] = (uint)row < (uint)g.Height && (uint)column < (uint)g.Width ? plane[(row * g.Width) + column] : T.Zero;
                                }
                            }
                        }
                        else
                        {
                            GradientBlock(input, pooledOutput, argmax, g, s, c, i, j, d);
                        }

                        TransformInput(d, transformed, c, channels);
                    }

                    for (var o = 0; o < outChannels; o++)
                    {
                        for (var point = 0; point < Points; point++)
                        {
                            var sum = T.Zero;
                            for (var c = 0; c < channels; c++)
                            {
                                sum += packed[PackedIndex(o, c, point, channels)] * transformed[(point * channels) + c];
                            }

                            m[point] = sum;
                        }

                        TransformOutput(m, y, bias.IsEmpty ? T.Zero : bias[o]);
                        var at = ((s * outChannels) + o) * outPlane;
                        if (pooled)
                        {
                            var (value, index) = PoolTile(y);
                            output[at + (i * tileColumns) + j] = value;
                            positions[at + (i * tileColumns) + j] = (((2 * i) + (index >> 1)) * outWidth) + (2 * j) + (index & 1);
                            continue;
                        }

                        for (var a = 0; a < 2 && (2 * i) + a < outHeight; a++)
                        {
                            for (var b = 0; b < 2 && (2 * j) + b < outWidth; b++)
                            {
                                output[at + ((((2 * i) + a) * outWidth) + (2 * j) + b)] = y[(2 * a) + b];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The 4×4 block of the convolution gradient that tile (i, j) of the input gradient reads: 2 × 2 pooling
    /// windows, each holding its pooled gradient at its maximum's position where the pooled output is positive.
    /// </summary>
    private static void GradientBlock<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, ReadOnlySpan<int> argmax, in WindowGeometry g, int sample, int channel, int i, int j, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int pooledHeight = g.Height / 2, pooledWidth = g.Width / 2;
        d.Clear();
        for (var a = 0; a < 2; a++)
        {
            for (var b = 0; b < 2; b++)
            {
                int windowRow = i - (g.PadTop / 2) + a, windowColumn = j - (g.PadLeft / 2) + b;
                if ((uint)windowRow >= (uint)pooledHeight || (uint)windowColumn >= (uint)pooledWidth)
                {
                    continue;
                }

                var at = ((((sample * g.Channels) + channel) * pooledHeight) + windowRow) * pooledWidth + windowColumn;
                if (y[at] > T.Zero)
                {
                    var (row, column) = Math.DivRem(argmax[at], g.Width);
                    d[(4 * (row - (2 * windowRow) + (2 * a))) + column - (2 * windowColumn) + (2 * b)] = dy[at];
                }
            }
        }
    }

    /// <summary><c>V = Bᵀ d B</c> of one 4×4 block into point-major <paramref name="transformed"/> (channel <paramref name="c"/>), Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]].</summary>
    internal static void TransformInput<T>(ReadOnlySpan<T> d, Span<T> transformed, int c, int channels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> h = stackalloc T[Points];
        for (var r = 0; r < 4; r++)
        {
            T d0 = d[4 * r], d1 = d[(4 * r) + 1], d2 = d[(4 * r) + 2], d3 = d[(4 * r) + 3];
            (h[4 * r], h[(4 * r) + 1], h[(4 * r) + 2], h[(4 * r) + 3]) = (d0 - d2, d1 + d2, d2 - d1, d1 - d3);
        }

        for (var q = 0; q < 4; q++)
        {
            T h0 = h[q], h1 = h[4 + q], h2 = h[8 + q], h3 = h[12 + q];
            transformed[(q * channels) + c] = h0 - h2;
            transformed[((4 + q) * channels) + c] = h1 + h2;
            transformed[((8 + q) * channels) + c] = h2 - h1;
            transformed[((12 + q) * channels) + c] = h1 - h3;
        }
    }

    /// <summary><c>Y = Aᵀ M A</c> + bias, Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]; <paramref name="y"/> row-major 2 × 2.</summary>
    private static void TransformOutput<T>(ReadOnlySpan<T> m, Span<T> y, T bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> a = stackalloc T[8];
        for (var q = 0; q < 4; q++)
        {
            a[q] = m[q] + m[4 + q] + m[8 + q];
            a[4 + q] = m[4 + q] - m[8 + q] - m[12 + q];
        }

        for (var r = 0; r < 2; r++)
        {
            y[2 * r] = a[4 * r] + a[(4 * r) + 1] + a[(4 * r) + 2] + bias;
            y[(2 * r) + 1] = a[(4 * r) + 1] - a[(4 * r) + 2] - a[(4 * r) + 3] + bias;
        }
    }

    /// <summary>ReLU of the 2×2 outputs, their maximum and its index (row-major), the first of equal maxima as <see cref="MaxPool2D"/> keeps it.</summary>
    private static (T Value, int Index) PoolTile<T>(ReadOnlySpan<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var best = 0;
        var max = Activations.Apply(Activation.ReLU, y[0]);
        for (var k = 1; k < 4; k++)
        {
            var v = Activations.Apply(Activation.ReLU, y[k]);
            if (v > max)
            {
                (best, max) = (k, v);
            }
        }

        return (max, best);
    }
}
