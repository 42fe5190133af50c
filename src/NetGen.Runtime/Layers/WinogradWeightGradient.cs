using System;
using System.Numerics;
using System.Runtime.InteropServices;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// The weight and bias gradients of one <see cref="SampleGroups"/> group of a pooled Winograd convolution
/// (<see cref="WinogradPooledConvolution"/>), through Winograd F(3×3, 2×2). The forward computes each 2×2
/// output tile as <c>Y = Aᵀ [U ⊙ V] A</c> with <c>U = G g Gᵀ</c>, exactly a correlation, so the kernel's
/// gradient is <c>dW = Gᵀ [Σ_tiles (A dY Aᵀ) ⊙ V] G</c>: 16 products <c>[channels × tiles] · [tiles × filters]</c>
/// over the group's tiles, 16 multiply-adds per tile where im2col's product takes 36. A tile of the
/// convolution's gradient is one pooling window, zero but at its maximum's position where the pooled output
/// is positive, so <c>A dY Aᵀ</c> is that pooled gradient times ±1 or 0 at each point; the convolution's
/// gradient is never written. An odd last row or column of the convolution, which no window reads, has a
/// zero gradient and no tile. The group's samples are summed tile after tile in order, so a group's partial
/// does not depend on the thread that computes it.
/// </summary>
internal static class WinogradWeightGradient
{
    private const int Points = WinogradTiles.Points;

    /// <summary>
    /// Whether <see cref="Group{T}"/> computes the weight gradient of a layer of <paramref name="channels"/>
    /// inputs and <paramref name="filters"/> outputs: always in double (tile by tile); in float where the
    /// AVX-512 blocks of <see cref="WinogradWeightGradientFloat"/> fit, as a scalar float pass would be slower
    /// than im2col's product, which the other float layers keep.
    /// </summary>
    public static bool Runs<T>(int channels, int filters) =>
        typeof(T) != typeof(float) || WinogradWeightGradientFloat.Fits(channels, filters);

    /// <summary>
    /// Writes (any shape, any element type: tile by tile where <see cref="WinogradWeightGradientFloat"/> does not fit) the group's weight gradient <c>[filters, channels, 3, 3]</c> to <paramref name="weightPartial"/>
    /// and its bias gradient to <paramref name="biasPartial"/> (either may be empty), from the pooled gradient
    /// <paramref name="dy"/>, the pooled output <paramref name="y"/> and the maxima's <paramref name="positions"/>
    /// of its <paramref name="samples"/> samples, and their input <paramref name="x"/> (spans checked by the caller).
    /// </summary>
    public static void Group<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, ReadOnlySpan<int> positions, ReadOnlySpan<T> x, Span<T> weightPartial, Span<T> biasPartial, int samples, in WindowGeometry g, int filters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && !weightPartial.IsEmpty && WinogradWeightGradientFloat.Fits(g.Channels, filters))
        {
            WinogradWeightGradientFloat.Group(MemoryMarshal.Cast<T, float>(dy), MemoryMarshal.Cast<T, float>(y), positions, MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(weightPartial), MemoryMarshal.Cast<T, float>(biasPartial), samples, g, filters);
            return;
        }

        int channels = g.Channels, tileColumns = g.OutputWidth / 2, tiles = g.OutputHeight / 2 * tileColumns;
        var scratch = ThreadScratch<ScratchPurpose.WinogradTiles, T>.Rent(Points * ((channels * filters) + filters + channels));
        var sums = scratch[..(Points * channels * filters)];
        var gradients = scratch.Slice(sums.Length, Points * filters);
        var inputs = scratch.Slice(sums.Length + gradients.Length, Points * channels);
        sums.Clear();
        biasPartial.Clear();
        Span<T> block = stackalloc T[Points];
        for (var s = 0; s < samples; s++)
        {
            for (var t = 0; t < tiles; t++)
            {
                var (i, j) = Math.DivRem(t, tileColumns);
                for (var o = 0; o < filters; o++)
                {
                    var at = (((s * filters) + o) * tiles) + t;
                    var gradient = y[at] > T.Zero ? dy[at] : T.Zero;
                    if (!biasPartial.IsEmpty)
                    {
                        biasPartial[o] += gradient;
                    }

                    if (!weightPartial.IsEmpty)
                    {
                        var (row, column) = Math.DivRem(positions[at], g.OutputWidth);
                        TransformGradient(gradient, row - (2 * i), column - (2 * j), gradients.Slice(o * Points, Points));
                    }
                }

                if (weightPartial.IsEmpty)
                {
                    continue;
                }

                for (var c = 0; c < channels; c++)
                {
                    InputBlock(x.Slice(((s * channels) + c) * g.Height * g.Width, g.Height * g.Width), g, i, j, block);
                    WinogradTiles.TransformInput(block, inputs, c, channels);
                }

                for (var point = 0; point < Points; point++)
                {
                    for (var c = 0; c < channels; c++)
                    {
                        var input = inputs[(point * channels) + c];
                        var row = sums.Slice(((point * channels) + c) * filters, filters);
                        for (var o = 0; o < filters; o++)
                        {
                            row[o] = T.FusedMultiplyAdd(input, gradients[(o * Points) + point], row[o]);
                        }
                    }
                }
            }
        }

        if (weightPartial.IsEmpty)
        {
            return;
        }

        Span<T> m = stackalloc T[Points];
        Span<T> kernel = stackalloc T[9];
        for (var o = 0; o < filters; o++)
        {
            for (var c = 0; c < channels; c++)
            {
                for (var point = 0; point < Points; point++)
                {
                    m[point] = sums[(((point * channels) + c) * filters) + o];
                }

                TransformBack(m, kernel);
                kernel.CopyTo(weightPartial.Slice(((o * channels) + c) * 9, 9));
            }
        }
    }

    /// <summary>
    /// <c>A dY Aᵀ</c> of a tile whose only nonzero is <paramref name="gradient"/> at row <paramref name="a"/>,
    /// column <paramref name="b"/> of the tile, A = [[1, 0], [1, 1], [1, −1], [0, −1]]: point (r, c) is
    /// <c>A[r][a] · A[c][b] · gradient</c>.
    /// </summary>
    private static void TransformGradient<T>(T gradient, int a, int b, Span<T> transformed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                transformed[(4 * r) + c] = T.CreateTruncating(Coefficient(r, a) * Coefficient(c, b)) * gradient;
            }
        }
    }

    /// <summary><c>A[row][column]</c> of A = [[1, 0], [1, 1], [1, −1], [0, −1]].</summary>
    private static int Coefficient(int row, int column) => column == 0 ? (row == 3 ? 0 : 1) : (row == 0 ? 0 : (row == 1 ? 1 : -1));

    /// <summary>The 4×4 block of <paramref name="plane"/> that tile (i, j) reads, zero outside the image (the padding).</summary>
    private static void InputBlock<T>(ReadOnlySpan<T> plane, in WindowGeometry g, int i, int j, Span<T> block)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var r = 0; r < 4; r++)
        {
            for (var q = 0; q < 4; q++)
            {
                int row = (2 * i) - g.PadTop + r, column = (2 * j) - g.PadLeft + q;
                block[(4 * r) + q] = (uint)row < (uint)g.Height && (uint)column < (uint)g.Width ? plane[(row * g.Width) + column] : T.Zero;
            }
        }
    }

    /// <summary>
    /// <c>Gᵀ M G</c> of a 4×4 <paramref name="m"/> into the 3×3 <paramref name="kernel"/>, Gᵀ = [[1, ½, ½, 0], [0, ½, −½, 0], [0, ½, ½, 1]]:
    /// rows first, then columns, as <see cref="WinogradWeightGradientFloat"/> does.
    /// </summary>
    private static void TransformBack<T>(ReadOnlySpan<T> m, Span<T> kernel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var half = T.One / (T.One + T.One);
        Span<T> h = stackalloc T[12];
        for (var q = 0; q < 4; q++)
        {
            var sum = (m[4 + q] + m[8 + q]) * half;
            h[q] = m[q] + sum;
            h[4 + q] = (m[4 + q] - m[8 + q]) * half;
            h[8 + q] = sum + m[12 + q];
        }

        for (var k = 0; k < 3; k++)
        {
            var sum = (h[(4 * k) + 1] + h[(4 * k) + 2]) * half;
            kernel[3 * k] = h[4 * k] + sum;
            kernel[(3 * k) + 1] = (h[(4 * k) + 1] - h[(4 * k) + 2]) * half;
            kernel[(3 * k) + 2] = sum + h[(4 * k) + 3];
        }
    }
}
