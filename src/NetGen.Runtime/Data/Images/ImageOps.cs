using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NetGen.Data.Images;

/// <summary>
/// Image operations on float tensors laid out CHW (channel planes of rows), values in [0, 1], as
/// torchvision's tensor transforms see them. Each operation checks that the span lengths match the
/// dimensions it is given.
/// </summary>
public static partial class ImageOps
{
    /// <summary>Converts an 8-bit RGB image (HWC) to a float CHW tensor in [0, 1] (torchvision's <c>ToTensor</c>).</summary>
    public static void ToChw(RgbImage image, Span<float> chw)
    {
        ArgumentNullException.ThrowIfNull(image);
        CheckLength(chw.Length, 3, image.Height, image.Width, nameof(chw));
        var plane = image.Height * image.Width;
        var pixels = image.Pixels;
        for (var p = 0; p < plane; p++)
        {
            chw[p] = pixels[p * 3] / 255f;
            chw[plane + p] = pixels[(p * 3) + 1] / 255f;
            chw[(2 * plane) + p] = pixels[(p * 3) + 2] / 255f;
        }
    }

    /// <summary>Subtracts <paramref name="mean"/> and divides by <paramref name="std"/>, one value per channel.</summary>
    public static void Normalize(Span<float> chw, ReadOnlySpan<float> mean, ReadOnlySpan<float> std)
    {
        if (mean.IsEmpty || mean.Length != std.Length)
        {
            throw new ArgumentException($"Need one mean and one std per channel; got {mean.Length} means and {std.Length} stds.", nameof(std));
        }

        if (chw.Length % mean.Length != 0)
        {
            throw new ArgumentException($"A tensor of {chw.Length} values does not split into {mean.Length} channels.", nameof(chw));
        }

        var plane = chw.Length / mean.Length;
        for (var c = 0; c < mean.Length; c++)
        {
            if (!(std[c] > 0f))
            {
                throw new ArgumentOutOfRangeException(nameof(std), std[c], $"std[{c}] must be positive.");
            }

            var scale = 1f / std[c];
            var values = chw.Slice(c * plane, plane);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (values[i] - mean[c]) * scale;
            }
        }
    }

    /// <summary>Mirrors every row left to right.</summary>
    public static void FlipHorizontal(Span<float> chw, int channels, int height, int width)
    {
        CheckLength(chw.Length, channels, height, width, nameof(chw));
        for (var row = 0; row < channels * height; row++)
        {
            chw.Slice(row * width, width).Reverse();
        }
    }

    /// <summary>Mirrors every channel top to bottom.</summary>
    public static void FlipVertical(Span<float> chw, int channels, int height, int width)
    {
        CheckLength(chw.Length, channels, height, width, nameof(chw));
        for (var c = 0; c < channels; c++)
        {
            var plane = chw.Slice(c * height * width, height * width);
            for (int top = 0, bottom = height - 1; top < bottom; top++, bottom--)
            {
                var upper = plane.Slice(top * width, width);
                var lower = plane.Slice(bottom * width, width);
                for (var x = 0; x < width; x++)
                {
                    (upper[x], lower[x]) = (lower[x], upper[x]);
                }
            }
        }
    }

    /// <summary>Scales every value by <paramref name="factor"/> and clamps to [0, 1] (torchvision's <c>adjust_brightness</c>).</summary>
    public static void AdjustBrightness(Span<float> chw, float factor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(factor);
        ScaleShiftClamp(chw, factor, 0f);
    }

    /// <summary>
    /// Blends an RGB image with the mean of its grayscale version (ITU-R 601 luma) by
    /// <paramref name="factor"/> and clamps to [0, 1] (torchvision's <c>adjust_contrast</c>).
    /// </summary>
    public static void AdjustContrast(Span<float> chw, int height, int width, float factor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(factor);
        CheckLength(chw.Length, 3, height, width, nameof(chw));
        var plane = height * width;
        // The three planes as references (the length check above covers them): without a bounds check
        // on each of the three reads, the sum (kept in pixel order) takes 0.019 ms for 3x150x150 against 0.047 ms.
        ref var red = ref MemoryMarshal.GetReference(chw);
        ref var green = ref Unsafe.Add(ref red, plane);
        ref var blue = ref Unsafe.Add(ref red, 2 * plane);
        var luma = 0.0;
        for (var p = 0; p < plane; p++)
        {
            luma += (0.2989 * Unsafe.Add(ref red, p)) + (0.587 * Unsafe.Add(ref green, p)) + (0.114 * Unsafe.Add(ref blue, p));
        }

        var offset = (float)(luma / plane) * (1f - factor);
        ScaleShiftClamp(chw, factor, offset);
    }

    /// <summary>
    /// Converts 8-bit values to floats in [0, 1] (<c>value / 255</c>, exactly as the scalar division),
    /// <see cref="Vector{T}"/> lanes at a time.
    /// </summary>
    public static void ToUnitRange(ReadOnlySpan<byte> bytes, Span<float> values)
    {
        if (values.Length != bytes.Length)
        {
            throw new ArgumentException($"Expected {bytes.Length} values, one per byte, got {values.Length}.", nameof(values));
        }

        var scale = new Vector<float>(255f);
        var i = 0;
        for (; i <= bytes.Length - Vector<byte>.Count; i += Vector<byte>.Count)
        {
            // A byte vector widens to two of ushort, four of uint: four float vectors.
            Vector.Widen(new Vector<byte>(bytes[i..]), out var low, out var high);
            Vector.Widen(low, out var first, out var second);
            Vector.Widen(high, out var third, out var fourth);
            var lanes = Vector<float>.Count;
            (Vector.ConvertToSingle(first) / scale).CopyTo(values[i..]);
            (Vector.ConvertToSingle(second) / scale).CopyTo(values[(i + lanes)..]);
            (Vector.ConvertToSingle(third) / scale).CopyTo(values[(i + (2 * lanes))..]);
            (Vector.ConvertToSingle(fourth) / scale).CopyTo(values[(i + (3 * lanes))..]);
        }

        for (; i < bytes.Length; i++)
        {
            values[i] = bytes[i] / 255f;
        }
    }

    /// <summary>
    /// <c>clamp(value * factor + offset, 0, 1)</c> in place, <see cref="Vector{T}"/> lanes at a time:
    /// the multiply and the add round separately, as in the scalar tail, so every lane gives the
    /// scalar formula's float.
    /// </summary>
    private static void ScaleShiftClamp(Span<float> values, float factor, float offset)
    {
        var (factors, offsets) = (new Vector<float>(factor), new Vector<float>(offset));
        var i = 0;
        for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var scaled = (new Vector<float>(values[i..]) * factors) + offsets;
            Vector.Min(Vector.Max(scaled, Vector<float>.Zero), Vector<float>.One).CopyTo(values[i..]);
        }

        for (; i < values.Length; i++)
        {
            values[i] = Math.Clamp((values[i] * factor) + offset, 0f, 1f);
        }
    }

    private static void CheckLength(int length, int channels, int height, int width, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (length != (long)channels * height * width)
        {
            throw new ArgumentException($"Expected {(long)channels * height * width} values for a {channels}x{height}x{width} image, got {length}.", name);
        }
    }
}
