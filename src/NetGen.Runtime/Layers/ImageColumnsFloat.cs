using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen;

/// <summary>
/// The float im2col and col2im of unpadded, stride-1 windows (every convolution of the MNIST and
/// Chollet networks) on AVX-512: each column row is the input plane read <c>OH</c> times, <c>OW</c>
/// contiguous pixels at a time, moved 16 at a time with the last vector masked. Small networks'
/// rows are a dozen floats long, where the span slicing and copy calls of the generic path cost
/// more than the copy.
/// </summary>
internal static unsafe class ImageColumnsFloat
{
    /// <summary>Whether the fast path applies to <paramref name="g"/> on this CPU.</summary>
    public static bool Handles(in WindowGeometry g) => Avx512F.IsSupported && g.Stride == 1 && !g.IsPadded;

    /// <summary>im2col; the caller has checked <see cref="Handles"/> and the span lengths.</summary>
    public static void Im2Col(ReadOnlySpan<float> image, Span<float> columns, int rowStride, in WindowGeometry g)
    {
        int k = g.Window, width = g.Width, outHeight = g.OutputHeight, outWidth = g.OutputWidth;
        CheckSpans(image.Length, columns.Length, rowStride, g);
        var tail = Tail(outWidth);
        fixed (float* source = image, target = columns)
        {
            var row = target;
            for (var c = 0; c < g.Channels; c++)
            {
                var plane = source + ((nint)c * g.Height * width);
                for (var i = 0; i < k; i++)
                {
                    for (var j = 0; j < k; j++, row += rowStride)
                    {
                        var from = plane + ((nint)i * width) + j;
                        var to = row;
                        for (var oh = 0; oh < outHeight; oh++, from += width, to += outWidth)
                        {
                            var w = 0;
                            for (; w + 16 <= outWidth; w += 16)
                            {
                                Vector512.Load(from + w).Store(to + w);
                            }

                            if (w < outWidth)
                            {
                                Avx512F.MaskStore(to + w, tail, Avx512F.MaskLoad(from + w, tail, default));
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>col2im (overwrites the image); the caller has checked <see cref="Handles"/> and the span lengths.</summary>
    public static void Col2Im(ReadOnlySpan<float> columns, int rowStride, Span<float> image, in WindowGeometry g)
    {
        int k = g.Window, width = g.Width, outHeight = g.OutputHeight, outWidth = g.OutputWidth;
        CheckSpans(image.Length, columns.Length, rowStride, g);
        image[..g.InputSize].Clear();
        var tail = Tail(outWidth);
        fixed (float* target = image, source = columns)
        {
            var row = source;
            for (var c = 0; c < g.Channels; c++)
            {
                var plane = target + ((nint)c * g.Height * width);
                for (var i = 0; i < k; i++)
                {
                    for (var j = 0; j < k; j++, row += rowStride)
                    {
                        var to = plane + ((nint)i * width) + j;
                        var from = row;
                        for (var oh = 0; oh < outHeight; oh++, to += width, from += outWidth)
                        {
                            var w = 0;
                            for (; w + 16 <= outWidth; w += 16)
                            {
                                (Vector512.Load(to + w) + Vector512.Load(from + w)).Store(to + w);
                            }

                            if (w < outWidth)
                            {
                                Avx512F.MaskStore(to + w, tail, Avx512F.MaskLoad(to + w, tail, default) + Avx512F.MaskLoad(from + w, tail, default));
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The lanes of a row's last, partial vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Tail(int outWidth) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(outWidth % 16)).AsSingle();

    /// <summary>The pointer loops trust these bounds: the image holds one sample, the columns every row's plane.</summary>
    private static void CheckSpans(int imageLength, int columnsLength, int rowStride, in WindowGeometry g)
    {
        if (imageLength < g.InputSize || rowStride < g.OutputPlane || columnsLength < ((long)(g.PatchSize - 1) * rowStride) + g.OutputPlane)
        {
            throw new ArgumentException($"im2col spans too short for {g}: image {imageLength}, columns {columnsLength} with row stride {rowStride}.");
        }
    }
}
