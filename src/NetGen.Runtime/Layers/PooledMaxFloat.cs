using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen;

/// <summary>
/// Float 2 × 2, stride-2 max pooling of one plane with the position of each maximum, 16 windows at a
/// time on AVX-512, for <see cref="PooledConvolution"/>: the four corners of each window are split out
/// as <see cref="MaxPool2DFloat"/> does, and a chain of strictly-greater selects keeps the first
/// maximum and its index, as <see cref="MaxPool2D.ArgMax{T}"/> does. Windows holding a NaN go to that
/// scalar scan.
/// </summary>
internal static unsafe class PooledMaxFloat
{
    /// <summary>
    /// Pools <paramref name="rows"/> pooled rows from <paramref name="first"/> of a <c>pool.Height × pool.Width</c>
    /// plane: <paramref name="image"/> holds its rows from <c>2·first</c>, <paramref name="rowStride"/> apart
    /// (<c>pool.Width</c>, or wider for <see cref="DirectConvolutionFloat"/>'s wide planes); <paramref name="y"/>
    /// and <paramref name="positions"/> get those pooled rows, each position an index into the whole plane
    /// as if its rows were <c>pool.Width</c> long. The caller has checked <see cref="MaxPool2DFloat.Handles"/>.
    /// </summary>
    public static void Plane(ReadOnlySpan<float> image, int rowStride, Span<float> y, Span<int> positions, in WindowGeometry pool, int first, int rows)
    {
        int width = pool.Width, outWidth = pool.OutputWidth;
        if (image.Length < (((2 * rows) - 1) * rowStride) + (2 * outWidth) || y.Length < rows * outWidth || positions.Length < rows * outWidth)
        {
            throw new ArgumentException($"Spans too short for {rows} pooled rows of {pool}.");
        }

        var (even, odd) = MaxPool2DFloat.Deinterleave();
        var twice = Vector512<int>.Indices * 2;
        fixed (float* input = image, output = y)
        fixed (int* index = positions)
        {
            for (var oh = 0; oh < rows; oh++)
            {
                var offset = 2 * oh * rowStride;
                var o = oh * outWidth;
                for (var ow = 0; ow < outWidth; ow += 16)
                {
                    var count = Math.Min(16, outWidth - ow);
                    var (a, b, c, d) = MaxPool2DFloat.Corners(input + offset + (2 * ow), rowStride, count, even, odd);
                    var lanes = MaxPool2DFloat.Lanes(count);
                    if (MaxPool2DFloat.NaNLanes(a, b, c, d) != Vector512<float>.Zero)
                    {
                        for (var w = ow; w < ow + count; w++)
                        {
                            var at = MaxPool2D.ArgMax(ref *input, offset + (2 * w), rowStride, 2, 2);
                            var (row, column) = Math.DivRem(at, rowStride);
                            (index[o + w], output[o + w]) = (((row + (2 * first)) * width) + column, input[at]);
                        }

                        continue;
                    }

                    var (max, at0) = FirstMaximum(a, b, c, d, Vector512.Create((2 * (first + oh) * width) + (2 * ow)) + twice, width);
                    Avx512F.MaskStore(output + o + ow, lanes, max);
                    Avx512F.MaskStore(index + o + ow, lanes.AsInt32(), at0);
                }
            }
        }
    }

    /// <summary>
    /// The backward of <see cref="Plane"/> behind a ReLU, for <paramref name="rows"/> pooled rows from
    /// <paramref name="first"/>: writes the convolution gradient of rows <c>[2·first, 2·(first + rows))</c> of
    /// one plane into <paramref name="gradient"/> (those rows, <paramref name="rowStride"/> ≥ <c>pool.Width</c>
    /// apart): each pooled gradient at its window's position where the pooled output is positive, zero at
    /// every other pixel of the rows' <paramref name="rowStride"/> columns. 2×2 windows at stride 2 do not
    /// overlap, so no two lanes write one pixel and the rows need no clearing first. Returns the sum of the
    /// routed values (the bias gradient's terms), summed in 16 lanes along the rows, then across the lanes.
    /// </summary>
    public static float Route(ReadOnlySpan<float> dy, ReadOnlySpan<float> y, ReadOnlySpan<int> positions, Span<float> gradient, int rowStride, int first, int rows, in WindowGeometry pool)
    {
        if (gradient.Length < 2 * rows * rowStride || rowStride < pool.Width)
        {
            throw new ArgumentException($"A routed gradient of {rows} pooled rows needs rows {rowStride} ≥ {pool.Width} floats apart.", nameof(gradient));
        }

        int width = pool.Width, outWidth = pool.OutputWidth;
        var (low, high) = MaxPool2DFloat.Interleave();
        var twice = Vector512<int>.Indices * 2;
        var sum = Vector512<float>.Zero;
        fixed (float* pooledGradient = dy, pooled = y, output = gradient)
        fixed (int* index = positions)
        {
            for (var a = 0; a < rows; a++)
            {
                var o = (first + a) * outWidth;
                var top = output + ((nint)2 * a * rowStride);
                for (var ow = 0; ow < outWidth; ow += 16)
                {
                    var count = Math.Min(16, outWidth - ow);
                    var lanes = MaxPool2DFloat.Lanes(count);
                    var positive = Vector512.GreaterThan(Avx512F.MaskLoad(pooled + o + ow, lanes, default), Vector512<float>.Zero);
                    var g = Avx512F.MaskLoad(pooledGradient + o + ow, lanes, default) & positive;
                    sum += g;
                    var corner = Avx512F.MaskLoad(index + o + ow, lanes.AsInt32(), default) - (Vector512.Create((2 * (first + a) * width) + (2 * ow)) + twice);
                    var topLeft = g & Vector512.Equals(corner, Vector512<int>.Zero).AsSingle();
                    var topRight = g & Vector512.Equals(corner, Vector512<int>.One).AsSingle();
                    var bottomLeft = g & Vector512.Equals(corner, Vector512.Create(width)).AsSingle();
                    var bottomRight = g & Vector512.Equals(corner, Vector512.Create(width + 1)).AsSingle();
                    MaxPool2DFloat.StorePair(top + (2 * ow), topLeft, topRight, count, low, high);
                    MaxPool2DFloat.StorePair(top + rowStride + (2 * ow), bottomLeft, bottomRight, count, low, high);
                }

                // An odd width's last column is in no window; wider rows' padding is in none either.
                for (var column = 2 * outWidth; column < rowStride; column++)
                {
                    top[column] = top[rowStride + column] = 0;
                }
            }
        }

        return Vector512.Sum(sum);
    }

    /// <summary>
    /// Each lane's maximum of the 2×2 window <c>a b / c d</c> and its position (<paramref name="corner"/>, + 1,
    /// + <paramref name="rowStride"/>, + <paramref name="rowStride"/> + 1), the first in reading order on a tie, as
    /// MaxPool2D reports it: a later value replaces the maximum only when strictly greater. NaNs are the caller's.
    /// Inlined: it runs once per 16 windows in the pooled convolutions' inner loops.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector512<float> Max, Vector512<int> Index) FirstMaximum(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d, Vector512<int> corner, int rowStride)
    {
        var takeB = Vector512.GreaterThan(b, a);
        var max = Vector512.ConditionalSelect(takeB, b, a);
        var index = Vector512.ConditionalSelect(takeB.AsInt32(), corner + Vector512<int>.One, corner);
        var takeC = Vector512.GreaterThan(c, max);
        max = Vector512.ConditionalSelect(takeC, c, max);
        index = Vector512.ConditionalSelect(takeC.AsInt32(), corner + Vector512.Create(rowStride), index);
        var takeD = Vector512.GreaterThan(d, max);
        max = Vector512.ConditionalSelect(takeD, d, max);
        index = Vector512.ConditionalSelect(takeD.AsInt32(), corner + Vector512.Create(rowStride + 1), index);
        return (max, index);
    }
}
