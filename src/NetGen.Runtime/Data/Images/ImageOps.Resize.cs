using System;
using System.Buffers;

namespace NetGen.Data.Images;

public static partial class ImageOps
{
    /// <summary>
    /// Resizes a CHW image with bilinear interpolation, antialiased when downscaling (Pillow's
    /// <c>BILINEAR</c>, torchvision's <c>Resize(antialias=True)</c>): separable, rows then columns.
    /// </summary>
    public static void Resize(
        ReadOnlySpan<float> source, int channels, int height, int width, Span<float> destination, int outHeight, int outWidth) =>
        ResizeCrop(source, channels, height, width, new CropBox(0, 0, height, width), destination, outHeight, outWidth);

    /// <summary>
    /// Crops <paramref name="box"/> out of a CHW image and resizes it to <paramref name="outHeight"/> x
    /// <paramref name="outWidth"/>, as <see cref="Resize"/> would after a crop (pixels outside the box
    /// never contribute, as in torchvision's <c>resized_crop</c>).
    /// </summary>
    public static void ResizeCrop(
        ReadOnlySpan<float> source, int channels, int height, int width, CropBox box, Span<float> destination, int outHeight, int outWidth)
    {
        CheckLength(source.Length, channels, height, width, nameof(source));
        CheckLength(destination.Length, channels, outHeight, outWidth, nameof(destination));
        if (box.Top < 0 || box.Left < 0 || box.Height <= 0 || box.Width <= 0 || box.Top + box.Height > height || box.Left + box.Width > width)
        {
            throw new ArgumentOutOfRangeException(nameof(box), box, $"The crop must lie inside the {height}x{width} image.");
        }

        var horizontal = ResampleCoefficients.Compute(box.Width, outWidth);
        var vertical = ResampleCoefficients.Compute(box.Height, outHeight);
        var rowsPassLength = channels * box.Height * outWidth;
        var rowsPass = ArrayPool<float>.Shared.Rent(rowsPassLength);
        try
        {
            for (var c = 0; c < channels; c++)
            {
                for (var y = 0; y < box.Height; y++)
                {
                    var input = source.Slice((((c * height) + box.Top + y) * width) + box.Left, box.Width);
                    var output = rowsPass.AsSpan(((c * box.Height) + y) * outWidth, outWidth);
                    for (var x = 0; x < outWidth; x++)
                    {
                        output[x] = WeightedSum(input, 1, horizontal, x);
                    }
                }

                var plane = rowsPass.AsSpan(c * box.Height * outWidth, box.Height * outWidth);
                for (var y = 0; y < outHeight; y++)
                {
                    var output = destination.Slice(((c * outHeight) + y) * outWidth, outWidth);
                    for (var x = 0; x < outWidth; x++)
                    {
                        output[x] = WeightedSum(plane[x..], outWidth, vertical, y);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rowsPass);
        }
    }

    /// <summary>Output <paramref name="o"/> of one axis: its weights applied to every <paramref name="stride"/>-th input.</summary>
    private static float WeightedSum(ReadOnlySpan<float> input, int stride, ResampleCoefficients coefficients, int o)
    {
        var weights = coefficients.Weights.AsSpan(o * coefficients.Taps, coefficients.Count[o]);
        var index = coefficients.First[o] * stride;
        var sum = 0f;
        foreach (var weight in weights)
        {
            sum += weight * input[index];
            index += stride;
        }

        return sum;
    }
}
