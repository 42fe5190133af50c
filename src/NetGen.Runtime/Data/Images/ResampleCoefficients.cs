using System;

namespace NetGen.Data.Images;

/// <summary>
/// The weights of one resize axis, computed exactly as Pillow's <c>precompute_coeffs</c> does for its
/// bilinear filter (which torchvision's <c>antialias=True</c> reproduces): output pixel centers map
/// to input coordinates, and each output is a normalised triangle-weighted sum of the inputs whose
/// centers lie within the support. When downscaling, the triangle is stretched by the scale factor,
/// so every input pixel contributes (antialiasing); when upscaling it is plain bilinear
/// interpolation with edge pixels repeated.
/// </summary>
internal sealed class ResampleCoefficients
{
    private ResampleCoefficients(int[] first, int[] count, float[] weights, int taps)
    {
        First = first;
        Count = count;
        Weights = weights;
        Taps = taps;
        MaxCount = 0;
        foreach (var used in count)
        {
            MaxCount = Math.Max(MaxCount, used);
        }

        WeightsByTap = new float[MaxCount * count.Length];
        for (var o = 0; o < count.Length; o++)
        {
            for (var k = 0; k < count[o]; k++)
            {
                WeightsByTap[(k * count.Length) + o] = weights[(o * taps) + k];
            }
        }
    }

    /// <summary>Index of the first input pixel that output pixel <c>i</c> reads.</summary>
    public int[] First { get; }

    /// <summary>How many consecutive input pixels output pixel <c>i</c> reads.</summary>
    public int[] Count { get; }

    /// <summary>Weights, <see cref="Taps"/> per output pixel, of which the first <c>Count[i]</c> are used.</summary>
    public float[] Weights { get; }

    /// <summary>Stride of <see cref="Weights"/>.</summary>
    public int Taps { get; }

    /// <summary>The largest <see cref="Count"/>: how many taps any output reads.</summary>
    public int MaxCount { get; }

    /// <summary>
    /// <see cref="Weights"/> tap by tap: the <c>k</c>-th weight of output <c>i</c> at <c>k * outputs + i</c>
    /// for <c>k</c> below <see cref="MaxCount"/>, 0 past an output's <see cref="Count"/>, so that
    /// consecutive outputs' weights for one tap load as a vector.
    /// </summary>
    public float[] WeightsByTap { get; }

    /// <summary>Coefficients mapping <paramref name="inSize"/> input pixels onto <paramref name="outSize"/> outputs.</summary>
    public static ResampleCoefficients Compute(int inSize, int outSize)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = filterScale; // the triangle filter reaches 1 pixel, stretched by the downscale factor
        var taps = ((int)Math.Ceiling(support) * 2) + 1;
        var first = new int[outSize];
        var count = new int[outSize];
        var weights = new float[outSize * taps];
        Span<double> raw = stackalloc double[taps];
        for (var o = 0; o < outSize; o++)
        {
            var center = (o + 0.5) * scale;
            // Pillow rounds with (int)(x + 0.5), truncating toward zero; the clamp makes that a floor here.
            var start = Math.Max((int)(center - support + 0.5), 0);
            var end = Math.Min((int)(center + support + 0.5), inSize);
            var total = 0.0;
            for (var i = start; i < end; i++)
            {
                var distance = Math.Abs((i - center + 0.5) / filterScale);
                raw[i - start] = distance < 1.0 ? 1.0 - distance : 0.0;
                total += raw[i - start];
            }

            first[o] = start;
            count[o] = end - start;
            for (var i = 0; i < end - start; i++)
            {
                weights[(o * taps) + i] = (float)(total == 0.0 ? 0.0 : raw[i] / total);
            }
        }

        return new ResampleCoefficients(first, count, weights, taps);
    }
}
