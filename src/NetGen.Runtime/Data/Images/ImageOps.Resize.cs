using System;
using System.Buffers;
using System.Numerics.Tensors;

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

        if (box.Height == outHeight && box.Width == outWidth)
        {
            CopyBox(source, channels, height, width, box, destination);
            return;
        }

        var horizontal = ResampleCoefficients.Compute(box.Width, outWidth);
        var vertical = ResampleCoefficients.Compute(box.Height, outHeight);
        var rowsPassLength = channels * box.Height * outWidth;
        var rowsPass = ArrayPool<float>.Shared.Rent(rowsPassLength);
        try
        {
            for (var c = 0; c < channels; c++)
            {
                var plane = rowsPass.AsSpan(c * box.Height * outWidth, box.Height * outWidth);
                for (var y = 0; y < box.Height; y++)
                {
                    var input = source.Slice((((c * height) + box.Top + y) * width) + box.Left, box.Width);
                    ResampleRow(input, horizontal, plane.Slice(y * outWidth, outWidth));
                }

                for (var y = 0; y < outHeight; y++)
                {
                    BlendRows(plane, outWidth, vertical, y, destination.Slice(((c * outHeight) + y) * outWidth, outWidth));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rowsPass);
        }
    }

    /// <summary>Horizontal pass: each output is a short dot product with a window of the input row.</summary>
    private static void ResampleRow(ReadOnlySpan<float> input, ResampleCoefficients coefficients, Span<float> output)
    {
        for (var x = 0; x < output.Length; x++)
        {
            var count = coefficients.Count[x];
            var weights = coefficients.Weights.AsSpan(x * coefficients.Taps, count);
            var window = input.Slice(coefficients.First[x], count);
            var sum = 0f;
            for (var k = 0; k < weights.Length; k++)
            {
                sum += weights[k] * window[k];
            }

            output[x] = sum;
        }
    }

    /// <summary>Vertical pass: output row <paramref name="y"/> is a weighted sum of whole rows, so it vectorises.</summary>
    private static void BlendRows(ReadOnlySpan<float> rows, int rowLength, ResampleCoefficients coefficients, int y, Span<float> output)
    {
        output.Clear();
        var first = coefficients.First[y];
        var weights = coefficients.Weights.AsSpan(y * coefficients.Taps, coefficients.Count[y]);
        for (var k = 0; k < weights.Length; k++)
        {
            TensorPrimitives.MultiplyAdd(rows.Slice((first + k) * rowLength, rowLength), weights[k], output, output);
        }
    }

    /// <summary>A resize to the box's own size is the identity (each output has weight 1 on one input), so copy.</summary>
    private static void CopyBox(ReadOnlySpan<float> source, int channels, int height, int width, CropBox box, Span<float> destination)
    {
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < box.Height; y++)
            {
                source.Slice((((c * height) + box.Top + y) * width) + box.Left, box.Width)
                    .CopyTo(destination.Slice(((c * box.Height) + y) * box.Width, box.Width));
            }
        }
    }
}
