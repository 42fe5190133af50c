using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NetGen;

/// <summary>
/// Float 2 × 2, stride-2 max pooling (the pooling of nearly every small convnet) on AVX-512, 16
/// windows at a time: a pair of input rows is loaded as 32-float vectors and split into the four
/// corners of each window (even and odd columns of each row), so the maximum and, for backward,
/// the first maximum's corner are lane-wise selects with no branch on the data. A chunk of windows
/// holding a NaN goes back to the scalar scan, which lets the first NaN win.
/// </summary>
internal static unsafe class MaxPool2DFloat
{
    /// <summary>Whether the vector path applies to <paramref name="g"/> on this CPU.</summary>
    public static bool Handles(in WindowGeometry g) => Avx512F.IsSupported && g.Window == 2 && g.Stride == 2 && !g.IsPadded;

    /// <summary>
    /// Forward over <paramref name="images"/> channel planes; the caller has checked
    /// <see cref="Handles"/> and the span lengths.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int images, in WindowGeometry g)
    {
        int width = g.Width, outWidth = g.OutputWidth, plane = g.Height * width;
        var (even, odd) = Deinterleave();
        fixed (float* input = x, output = y)
        {
            var o = output;
            for (var image = 0; image < images; image++)
            {
                var channel = input + ((nint)image * plane);
                for (var oh = 0; oh < g.OutputHeight; oh++, o += outWidth)
                {
                    var top = channel + ((nint)2 * oh * width);
                    for (var ow = 0; ow < outWidth; ow += 16)
                    {
                        var count = Math.Min(16, outWidth - ow);
                        var (a, b, c, d) = Corners(top + (2 * ow), width, count, even, odd);
                        var nan = NaNLanes(a, b, c, d);
                        var max = Avx512F.Max(Avx512F.Max(a, b), Avx512F.Max(c, d));
                        Avx512F.MaskStore(o + ow, Lanes(count), max);
                        if (nan != Vector512<float>.Zero)
                        {
                            for (var w = ow; w < ow + count; w++)
                            {
                                o[w] = MaxPool2D.Max(ref *channel, (2 * oh * width) + (2 * w), width, 2, 2);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Writes each window's gradient to its first maximum and zero to the window's other three
    /// pixels; pixels no window covers (a last odd row or column) must already be zero. The caller
    /// has checked <see cref="Handles"/> and the span lengths.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dx, int images, in WindowGeometry g)
    {
        int width = g.Width, outWidth = g.OutputWidth, plane = g.Height * width;
        var (even, odd) = Deinterleave();
        var (low, high) = Interleave();
        fixed (float* input = x, outputGradient = dy, inputGradient = dx)
        {
            var gy = outputGradient;
            for (var image = 0; image < images; image++)
            {
                var channel = input + ((nint)image * plane);
                var gradient = inputGradient + ((nint)image * plane);
                for (var oh = 0; oh < g.OutputHeight; oh++, gy += outWidth)
                {
                    var offset = (nint)2 * oh * width;
                    for (var ow = 0; ow < outWidth; ow += 16)
                    {
                        var count = Math.Min(16, outWidth - ow);
                        var (a, b, c, d) = Corners(channel + offset + (2 * ow), width, count, even, odd);
                        if (NaNLanes(a, b, c, d) != Vector512<float>.Zero)
                        {
                            for (var w = ow; w < ow + count; w++)
                            {
                                var corner = (int)offset + (2 * w);
                                gradient[corner] = gradient[corner + 1] = gradient[corner + width] = gradient[corner + width + 1] = 0;
                                gradient[MaxPool2D.ArgMax(ref *channel, corner, width, 2, 2)] = gy[w];
                            }

                            continue;
                        }

                        // Which corner holds the first maximum: b, c, d each take over only when strictly greater.
                        var max = a;
                        var takeB = Vector512.GreaterThan(b, max);
                        max = Vector512.ConditionalSelect(takeB, b, max);
                        var takeC = Vector512.GreaterThan(c, max);
                        max = Vector512.ConditionalSelect(takeC, c, max);
                        var takeD = Vector512.GreaterThan(d, max);
                        var inD = takeD;
                        var inC = takeC & ~inD;
                        var inB = takeB & ~takeC & ~inD;
                        var inA = ~(inB | inC | inD);
                        var g0 = Avx512F.MaskLoad(gy + ow, Lanes(count), default);
                        var ga = g0 & inA;
                        var gb = g0 & inB;
                        var gc = g0 & inC;
                        var gd = g0 & inD;
                        StorePair(gradient + offset + (2 * ow), ga, gb, count, low, high);
                        StorePair(gradient + offset + width + (2 * ow), gc, gd, count, low, high);
                    }
                }
            }
        }
    }

    /// <summary>The four corners of <paramref name="count"/> windows starting at <paramref name="top"/>: top-left, top-right, bottom-left, bottom-right.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (Vector512<float> A, Vector512<float> B, Vector512<float> C, Vector512<float> D) Corners(float* top, int width, int count, Vector512<int> even, Vector512<int> odd)
    {
        var first = Lanes(2 * count);
        var second = Lanes((2 * count) - 16);
        var t0 = Avx512F.MaskLoad(top, first, default);
        var t1 = Avx512F.MaskLoad(top + 16, second, default);
        var b0 = Avx512F.MaskLoad(top + width, first, default);
        var b1 = Avx512F.MaskLoad(top + width + 16, second, default);
        return (Avx512F.PermuteVar16x32x2(t0, even, t1), Avx512F.PermuteVar16x32x2(t0, odd, t1), Avx512F.PermuteVar16x32x2(b0, even, b1), Avx512F.PermuteVar16x32x2(b0, odd, b1));
    }

    /// <summary>Interleaves <paramref name="left"/> and <paramref name="right"/> back into one row of 2·count floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void StorePair(float* row, Vector512<float> left, Vector512<float> right, int count, Vector512<int> low, Vector512<int> high)
    {
        Avx512F.MaskStore(row, Lanes(2 * count), Avx512F.PermuteVar16x32x2(left, low, right));
        Avx512F.MaskStore(row + 16, Lanes((2 * count) - 16), Avx512F.PermuteVar16x32x2(left, high, right));
    }

    /// <summary>Lanes where any corner is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> NaNLanes(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d) =>
        ~(Vector512.Equals(a, a) & Vector512.Equals(b, b) & Vector512.Equals(c, c) & Vector512.Equals(d, d));

    /// <summary>A mask of the first <paramref name="count"/> lanes (none when count ≤ 0, all when ≥ 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Lanes(int count) =>
        Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>Indices picking the even and the odd floats of two concatenated vectors.</summary>
    internal static (Vector512<int> Even, Vector512<int> Odd) Deinterleave()
    {
        var even = Vector512<int>.Indices * 2;
        return (even, even + Vector512<int>.One);
    }

    /// <summary>Indices interleaving two vectors: lanes 0–15 of the result from their first halves, 16–31 from their second.</summary>
    internal static (Vector512<int> Low, Vector512<int> High) Interleave()
    {
        // Result lane i takes lane i/2 of the left vector (i even) or of the right one (index + 16, i odd).
        var half = Vector512.ShiftRightLogical(Vector512<int>.Indices, 1);
        var fromRight = (Vector512<int>.Indices & Vector512<int>.One) * 16;
        var low = half + fromRight;
        return (low, low + Vector512.Create(8));
    }
}
