using System;
using System.Linq;
using NetGen.Data.Images;
using Xunit;

namespace NetGen.Runtime.Tests.Images;

public class ImageOpsTests
{
    private const float Tolerance = 1e-5f;

    [Fact]
    public void Halving_four_pixels_uses_the_stretched_triangle_filter()
    {
        // Pillow/torchvision antialias: output centers at input 1 and 3, triangle of half-width 2,
        // so weights 3/4, 3/4, 1/4 over the pixels inside the image, renormalised.
        var output = new float[2];

        ImageOps.Resize([1f, 2f, 3f, 4f], 1, 1, 4, output, 1, 2);

        AssertClose([(3f + 6f + 3f) / 7f, (2f + 9f + 12f) / 7f], output);
    }

    [Fact]
    public void Vertical_axis_resizes_like_the_horizontal_one()
    {
        var output = new float[2];

        ImageOps.Resize([1f, 2f, 3f, 4f], 1, 4, 1, output, 2, 1);

        AssertClose([12f / 7f, 23f / 7f], output);
    }

    [Fact]
    public void Downscaling_by_four_averages_all_pixels_under_the_triangle()
    {
        // Center at 2, half-width 4: pixel centers 0.5..3.5 weigh 5/8, 7/8, 7/8, 5/8 (the rest lie outside).
        var output = new float[1];

        ImageOps.Resize([0f, 1f, 1f, 0f], 1, 1, 4, output, 1, 1);

        AssertClose([(7f + 7f) / 24f], output);
    }

    [Fact]
    public void Upscaling_is_bilinear_with_half_pixel_centers_and_clamped_edges()
    {
        var output = new float[4];

        ImageOps.Resize([10f, 20f], 1, 1, 2, output, 1, 4);

        AssertClose([10f, 12.5f, 17.5f, 20f], output);
    }

    [Fact]
    public void Upscaling_in_two_dimensions_is_separable()
    {
        var output = new float[16];

        ImageOps.Resize([0f, 4f, 8f, 12f], 1, 2, 2, output, 4, 4);

        // Row 1, column 2 sits at (0.75, 1.25) in input pixel units: weights (0.75, 0.25) x (0.25, 0.75).
        var expected = (0.75f * ((0.25f * 0f) + (0.75f * 4f))) + (0.25f * ((0.25f * 8f) + (0.75f * 12f)));
        Assert.Equal(expected, output[(1 * 4) + 2], Tolerance);
    }

    [Fact]
    public void Resized_crop_ignores_pixels_outside_the_box()
    {
        var output = new float[1];

        ImageOps.ResizeCrop([100f, 1f, 3f, 100f], 1, 1, 4, new CropBox(0, 1, 1, 2), output, 1, 1);

        AssertClose([2f], output);
    }

    [Theory]
    [InlineData(180, 150)]
    [InlineData(144, 150)]
    [InlineData(37, 13)]
    [InlineData(5, 200)]
    [InlineData(9, 7)]
    public void Horizontal_resampling_gives_the_scalar_sums_floats_bit_for_bit(int boxWidth, int outWidth)
    {
        // The box keeps its height, so the vertical pass copies rows (weight 1, then 0) and the output is the horizontal pass's.
        const int Channels = 3, Height = 6, Width = 190, BoxHeight = 4, Left = 3;
        var random = new Random(boxWidth * outWidth);
        var image = new float[Channels * Height * Width];
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = random.NextSingle();
        }

        var resized = new float[Channels * BoxHeight * outWidth];
        ImageOps.ResizeCrop(image, Channels, Height, Width, new CropBox(1, Left, BoxHeight, boxWidth), resized, BoxHeight, outWidth);

        var coefficients = ResampleCoefficients.Compute(boxWidth, outWidth);
        for (var row = 0; row < Channels * BoxHeight; row++)
        {
            var (channel, y) = (row / BoxHeight, row % BoxHeight);
            var input = image.AsSpan((((channel * Height) + 1 + y) * Width) + Left, boxWidth);
            for (var x = 0; x < outWidth; x++)
            {
                var sum = 0f;
                for (var k = 0; k < coefficients.Count[x]; k++)
                {
                    sum += coefficients.Weights[(x * coefficients.Taps) + k] * input[coefficients.First[x] + k];
                }

                var actual = resized[(row * outWidth) + x];
                Assert.True(BitConverter.SingleToInt32Bits(sum) == BitConverter.SingleToInt32Bits(actual), $"row {row}, column {x}: expected {sum:R}, got {actual:R}");
            }
        }
    }

    [Fact]
    public void Flips_mirror_each_channel()
    {
        float[] image = [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]; // 2 channels of 2x3

        var horizontal = (float[])image.Clone();
        ImageOps.FlipHorizontal(horizontal, 2, 2, 3);
        var vertical = (float[])image.Clone();
        ImageOps.FlipVertical(vertical, 2, 2, 3);

        Assert.Equal([2, 1, 0, 5, 4, 3, 12, 11, 10, 15, 14, 13], horizontal);
        Assert.Equal([3, 4, 5, 0, 1, 2, 13, 14, 15, 10, 11, 12], vertical);
    }

    [Fact]
    public void Rotating_90_degrees_turns_counter_clockwise_and_fills_with_zero()
    {
        var image = new float[9];
        image[(1 * 3) + 2] = 1f; // middle of the right edge
        var rotated = new float[9];

        ImageOps.Rotate(image, rotated, 1, 3, 3, 90f);

        var expected = new float[9];
        expected[1] = 1f; // middle of the top edge
        AssertClose(expected, rotated);

        // A 1x4 strip turned upright: the outer pixels fall outside, the inner ones blend half with the fill.
        var strip = new float[4];
        ImageOps.Rotate([1f, 1f, 1f, 1f], strip, 1, 1, 4, 90f);
        AssertClose([0f, 0.5f, 0.5f, 0f], strip);
    }

    [Theory]
    [InlineData(3, 150, 150, 17.3f)]
    [InlineData(3, 150, 150, -30f)]
    [InlineData(3, 33, 17, 45f)]
    [InlineData(2, 7, 13, 180f)]
    [InlineData(1, 16, 16, 90f)]
    [InlineData(1, 1, 4, -12.345f)]
    public void Rotation_gives_the_scalar_formulas_floats_bit_for_bit(int channels, int height, int width, float degrees)
    {
        // Rows of 8 or more take the gathered path (with AVX2) wherever 8 pixels fit, borders and tails included.
        var random = new Random(height * width);
        var image = new float[channels * height * width];
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = random.NextSingle();
        }

        var rotated = new float[image.Length];
        ImageOps.Rotate(image, rotated, channels, height, width, degrees);

        var expected = ScalarRotation(image, channels, height, width, degrees);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(rotated[i]), $"element {i}: expected {expected[i]:R}, got {rotated[i]:R}");
        }
    }

    [Fact]
    public void Normalize_subtracts_mean_and_divides_by_std_per_channel()
    {
        float[] image = [0f, 1f, 0.5f, 0.25f];

        ImageOps.Normalize(image, [0.5f, 0.25f], [0.5f, 0.25f]);

        AssertClose([-1f, 1f, 1f, 0f], image);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageOps.Normalize(new float[2], [0f, 0f], [1f, 0f]));
    }

    [Fact]
    public void Brightness_scales_and_contrast_blends_with_the_mean_luma()
    {
        float[] image = [0.2f, 0.8f, 0.2f, 0.8f, 0.2f, 0.8f]; // gray pixels 0.2 and 0.8, luma mean 0.5 (weights sum to 0.9999)

        var brighter = (float[])image.Clone();
        ImageOps.AdjustBrightness(brighter, 1.5f);
        ImageOps.AdjustContrast(image, 1, 2, 0.5f);

        AssertClose([0.3f, 1f, 0.3f, 1f, 0.3f, 1f], brighter);
        AssertClose([0.35f, 0.65f, 0.35f, 0.65f, 0.35f, 0.65f], image, 1e-4f);
    }

    [Theory]
    [InlineData(150, 150, 1.07f)]
    [InlineData(7, 5, 0.93f)]
    [InlineData(1, 3, 1.1f)]
    public void Contrast_gives_the_scalar_formulas_floats_bit_for_bit(int height, int width, float factor)
    {
        // 150x150 sums its mean luma's terms vector lanes at a time; 1x3 only in the scalar tail.
        var random = new Random(height * width);
        var image = new float[3 * height * width];
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = random.NextSingle();
        }

        var plane = height * width;
        var luma = 0.0;
        for (var p = 0; p < plane; p++)
        {
            luma += (0.2989 * image[p]) + (0.587 * image[plane + p]) + (0.114 * image[(2 * plane) + p]);
        }

        var offset = (float)(luma / plane) * (1f - factor);
        var expected = image.Select(value => Math.Clamp((value * factor) + offset, 0f, 1f)).ToArray();

        ImageOps.AdjustContrast(image, height, width, factor);

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(image[i]), $"element {i}: expected {expected[i]:R}, got {image[i]:R}");
        }
    }

    [Fact]
    public void Mismatched_lengths_name_the_argument()
    {
        var error = Assert.Throws<ArgumentException>(() => ImageOps.Resize(new float[5], 1, 2, 2, new float[4], 2, 2));

        Assert.Equal("source", error.ParamName);
    }

    /// <summary>torchvision's bilinear rotation, one pixel and channel at a time, as ImageOps.Rotate computed it before its AVX2 path.</summary>
    private static float[] ScalarRotation(float[] source, int channels, int height, int width, float degrees)
    {
        var destination = new float[source.Length];
        var radians = degrees * Math.PI / 180.0;
        var (cos, sin) = (Math.Cos(radians), Math.Sin(radians));
        var (centerX, centerY, plane) = (width / 2.0, height / 2.0, height * width);
        float Sample(int c, int y, int x) => (uint)y < (uint)height && (uint)x < (uint)width ? source[(c * plane) + (y * width) + x] : 0f;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
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
                    var top = ((1f - fx) * Sample(c, y0, x0)) + (fx * Sample(c, y0, x0 + 1));
                    var bottom = ((1f - fx) * Sample(c, y0 + 1, x0)) + (fx * Sample(c, y0 + 1, x0 + 1));
                    destination[(c * plane) + (y * width) + x] = ((1f - fy) * top) + (fy * bottom);
                }
            }
        }

        return destination;
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance = Tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
