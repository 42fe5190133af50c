using System;

namespace NetGen.Data.Images;

public static partial class ImageOps
{
    /// <summary>
    /// Rotates a CHW image by <paramref name="degrees"/> counter-clockwise about its center, keeping
    /// its size, with bilinear sampling and 0 where the rotated image does not reach (torchvision's
    /// <c>rotate(..., interpolation=BILINEAR, expand=False, fill=0)</c>).
    /// </summary>
    public static void Rotate(ReadOnlySpan<float> source, Span<float> destination, int channels, int height, int width, float degrees)
    {
        CheckLength(source.Length, channels, height, width, nameof(source));
        CheckLength(destination.Length, channels, height, width, nameof(destination));
        var radians = degrees * Math.PI / 180.0;
        var cos = Math.Cos(radians);
        var sin = Math.Sin(radians);
        var centerX = width / 2.0;
        var centerY = height / 2.0;
        var plane = height * width;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                // Inverse map: where in the source did this output pixel's center come from?
                var dx = x + 0.5 - centerX;
                var dy = y + 0.5 - centerY;
                var sourceX = (cos * dx) - (sin * dy) + centerX - 0.5;
                var sourceY = (sin * dx) + (cos * dy) + centerY - 0.5;
                var x0 = (int)Math.Floor(sourceX);
                var y0 = (int)Math.Floor(sourceY);
                var fx = (float)(sourceX - x0);
                var fy = (float)(sourceY - y0);
                for (var c = 0; c < channels; c++)
                {
                    var image = source.Slice(c * plane, plane);
                    var top = ((1f - fx) * Sample(image, height, width, y0, x0)) + (fx * Sample(image, height, width, y0, x0 + 1));
                    var bottom = ((1f - fx) * Sample(image, height, width, y0 + 1, x0)) + (fx * Sample(image, height, width, y0 + 1, x0 + 1));
                    destination[(c * plane) + (y * width) + x] = ((1f - fy) * top) + (fy * bottom);
                }
            }
        }
    }

    /// <summary>The pixel at (<paramref name="y"/>, <paramref name="x"/>), or the fill value 0 outside the image.</summary>
    private static float Sample(ReadOnlySpan<float> plane, int height, int width, int y, int x) =>
        (uint)y < (uint)height && (uint)x < (uint)width ? plane[(y * width) + x] : 0f;
}
