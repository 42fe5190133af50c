using System;
using System.Linq;
using NetGen.Data.Images;
using NetGen.Runtime.Tests.Skips;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Images;

/// <summary>Decoding at the smallest DCT scale that covers the working size, then resizing.</summary>
public sealed class ScaledDecodingTests(ITestOutputHelper output)
{
    private const int Cover = 180;

    [TurboJpegTheory]
    [InlineData(500, 375, 250, 188)] // a typical dogs-vs-cats photo: 4/8 (3/8 would give 141 rows)
    [InlineData(359, 359, 180, 180)] // 4/8 rounds 179.5 up to exactly the cover
    [InlineData(358, 358, 224, 224)] // 4/8 gives 179 < 180, so 5/8
    [InlineData(1440, 1440, 180, 180)] // 1/8, the smallest scale
    [InlineData(100, 80, 100, 80)] // smaller than the cover: full size, never a smaller scale upscaled
    [InlineData(1000, 100, 1000, 100)] // rows below the cover: only the full scale keeps all 100
    [InlineData(1000, 200, 1000, 200)] // 7/8 would leave 175 rows: full size
    public void The_covering_size_is_the_smallest_scale_that_reaches_the_cover(int width, int height, int expectedWidth, int expectedHeight)
    {
        Assert.Equal((expectedWidth, expectedHeight), JpegDecoder.CoveringSize(width, height, Cover, Cover));
    }

    [TurboJpegFact]
    public void No_smaller_scale_covers_and_the_chosen_one_never_falls_below_the_image_or_the_cover()
    {
        for (var width = 1; width <= 1500; width += 13)
        {
            for (var height = 1; height <= 1500; height += 17)
            {
                var (scaledWidth, scaledHeight) = JpegDecoder.CoveringSize(width, height, Cover, 150);
                var (neededWidth, neededHeight) = (Math.Min(Cover, width), Math.Min(150, height));
                Assert.True(scaledWidth >= neededWidth && scaledHeight >= neededHeight, $"{width}x{height} decoded at {scaledWidth}x{scaledHeight}");
                Assert.True(scaledWidth <= width && scaledHeight <= height, $"{width}x{height} upscaled to {scaledWidth}x{scaledHeight}");
                // Every k/8 below the chosen one (TJSCALED rounds up) misses the cover in some side.
                var chosen = Enumerable.Range(1, 8).First(k => Scaled(width, k) == scaledWidth && Scaled(height, k) == scaledHeight);
                Assert.All(Enumerable.Range(1, chosen - 1), k => Assert.False(Scaled(width, k) >= neededWidth && Scaled(height, k) >= neededHeight, $"{k}/8 covers {width}x{height}"));
            }
        }
    }

    [TurboJpegFact]
    public void Scaled_decoding_then_resizing_matches_full_decoding_then_resizing_within_the_augmentations_own_jitter()
    {
        const int width = 500, height = 375;
        var jpeg = JpegEncoder.EncodeRgb(new RgbImage(width, height, PhotoLike(width, height)), quality: 90);

        var scaled = JpegDecoder.DecodeCovering(jpeg, "photo.jpg", Cover, Cover);
        Assert.Equal((250, 188), (scaled.Width, scaled.Height));
        var (mean, max) = Difference(Resized(scaled), Resized(JpegDecoder.Decode(jpeg, "photo.jpg")));
        output.WriteLine($"scaled vs full decode: mean {mean * 255:F2}, max {max * 255:F2} levels");
        // The DCT-domain downscale and the antialiased bilinear resize are two low-pass filters of the
        // same area that differ only near the target's Nyquist frequency (the stripes here, 1.15 and
        // 18 levels when written): the mean stays under 1% of the range and every pixel under the
        // ±10% brightness jitter that training adds on purpose, so the network cannot tell.
        Assert.True(mean < 0.01f, $"mean difference {mean * 255:F2} levels");
        Assert.True(max < 0.1f, $"max difference {max * 255:F2} levels");
    }

    [TurboJpegFact]
    public void The_dataset_preprocessing_resizes_the_scaled_decode()
    {
        var jpeg = JpegEncoder.EncodeRgb(new RgbImage(500, 375, PhotoLike(500, 375)), quality: 90);
        var sample = new float[3 * Cover * Cover];

        new ImagePreprocessing(new ImageFolderOptions { Height = Cover, Width = Cover }).Decode(jpeg, "photo.jpg", sample);

        // The working image is the resize rounded to 8 bits; at the sample size it is served as is.
        static float[] Working(float[] resized) => resized.Select(value => Math.Clamp(MathF.Round(value * 255f), 0f, 255f) / 255f).ToArray();
        Assert.Equal(Working(Resized(JpegDecoder.DecodeCovering(jpeg, "photo.jpg", Cover, Cover))), sample);
        Assert.NotEqual(Working(Resized(JpegDecoder.Decode(jpeg, "photo.jpg"))), sample);
    }

    private static int Scaled(int size, int eighths) => ((size * eighths) + 7) / 8;

    /// <summary>Smooth shading, a sharp-edged disk and a fine stripe texture (period ~7 pixels, near the 180-pixel target's limit): a hard case of what a photo of a pet holds.</summary>
    private static byte[] PhotoLike(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var inDisk = ((x - 300) * (x - 300)) + ((y - 180) * (y - 180)) < 90 * 90;
                var stripes = 30 * Math.Sin(x * 0.9) * Math.Sin(y * 0.35);
                var shade = (100.0 * x / width) + (60.0 * y / height);
                var offset = ((y * width) + x) * 3;
                pixels[offset] = (byte)Math.Clamp(inDisk ? 220 - (shade / 3) : 40 + shade + stripes, 0, 255);
                pixels[offset + 1] = (byte)Math.Clamp(inDisk ? 160 : 90 + (shade / 2) + stripes, 0, 255);
                pixels[offset + 2] = (byte)Math.Clamp(inDisk ? 60 + stripes : 120 - (shade / 4), 0, 255);
            }
        }

        return pixels;
    }

    private static float[] Resized(RgbImage image)
    {
        var chw = new float[3 * image.Height * image.Width];
        ImageOps.ToChw(image, chw);
        var resized = new float[3 * Cover * Cover];
        ImageOps.Resize(chw, 3, image.Height, image.Width, resized, Cover, Cover);
        return resized;
    }

    private static (float Mean, float Max) Difference(float[] a, float[] b)
    {
        var differences = a.Zip(b, (x, y) => Math.Abs(x - y)).ToArray();
        return (differences.Average(), differences.Max());
    }
}
