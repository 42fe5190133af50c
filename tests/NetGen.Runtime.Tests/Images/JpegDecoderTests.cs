using System;
using NetGen.Data.Images;
using NetGen.Runtime.Tests.Skips;
using Xunit;

namespace NetGen.Runtime.Tests.Images;

public class JpegDecoderTests
{
    private const int Size = 16;
    private const int Tolerance = 10;

    [TurboJpegFact]
    public void Rgb_jpeg_round_trips_its_colors()
    {
        var image = JpegDecoder.Decode(TestImages.TwoColorRgb(Size, (200, 30, 40), (20, 180, 90)), "rgb.jpg");

        Assert.Equal((Size, Size), (image.Width, image.Height));
        AssertPixel(image, 4, 4, 200, 30, 40);
        AssertPixel(image, 4, 12, 20, 180, 90);
    }

    [TurboJpegFact]
    public void Grayscale_jpeg_decodes_to_three_equal_channels()
    {
        var jpeg = TestImages.TwoLevelGray(Size, 50, 210);

        Assert.Equal(JpegColorspace.Gray, JpegDecoder.ReadHeader(jpeg, "gray.jpg").Colorspace);
        var image = JpegDecoder.Decode(jpeg, "gray.jpg");
        AssertPixel(image, 4, 4, 50, 50, 50);
        AssertPixel(image, 4, 12, 210, 210, 210);
    }

    [TurboJpegFact]
    public void Adobe_cmyk_jpeg_decodes_to_the_right_rgb()
    {
        var jpeg = TestImages.RedBlueCmyk(Size);

        Assert.Equal(JpegColorspace.Ycck, JpegDecoder.ReadHeader(jpeg, "cmyk.jpg").Colorspace);
        var image = JpegDecoder.Decode(jpeg, "cmyk.jpg");
        AssertPixel(image, 4, 4, 255, 0, 0);
        AssertPixel(image, 4, 12, 0, 0, 255);
    }

    [TurboJpegFact]
    public void Truncated_jpeg_names_the_file_and_the_libjpeg_error_unless_warnings_are_accepted()
    {
        var jpeg = TestImages.Noise(64, seed: 1);
        var truncated = jpeg.AsSpan(0, jpeg.Length / 2).ToArray();

        var error = Assert.Throws<ImageDecodeException>(() => JpegDecoder.Decode(truncated, "photos/cut.jpg"));
        Assert.Equal("photos/cut.jpg", error.SourceName);
        Assert.Contains("photos/cut.jpg", error.Message);
        Assert.Contains("Premature end of JPEG file", error.Message);

        var lenient = JpegDecoder.Decode(truncated, "photos/cut.jpg", acceptWarnings: true);
        Assert.Equal(64, lenient.Width);
    }

    [TurboJpegFact]
    public void Random_bytes_are_a_named_error()
    {
        var random = new SeededRandom(7);
        var bytes = new byte[500];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)random.NextInt(256);
        }

        var error = Assert.Throws<ImageDecodeException>(() => JpegDecoder.Decode(bytes, "noise.jpg"));
        Assert.Contains("'noise.jpg'", error.Message);
        Assert.Contains("JPEG", error.Reason);
    }

    [Fact]
    public void Empty_file_is_a_named_error_before_any_native_call()
    {
        if (!TurboJpegLibrary.IsAvailable)
        {
            Assert.Throws<DllNotFoundException>(() => JpegDecoder.Decode([], "empty.jpg"));
            return;
        }

        var error = Assert.Throws<ImageDecodeException>(() => JpegDecoder.Decode([], "empty.jpg"));
        Assert.Contains("empty.jpg", error.Message);
    }

    [Theory]
    [InlineData(false, 255, 0, 0, 0, 0, 255, 255)]    // full cyan ink leaves green and blue
    [InlineData(true, 0, 255, 255, 255, 0, 255, 255)]  // the same cyan stored Adobe-inverted
    [InlineData(false, 0, 0, 0, 128, 127, 127, 127)]   // half black
    [InlineData(true, 255, 0, 255, 255, 255, 0, 255)]  // inverted: full magenta ink leaves red and blue
    public void Cmyk_conversion_handles_both_ink_conventions(bool adobeInverted, byte c, byte m, byte y, byte k, byte r, byte g, byte b)
    {
        var rgb = new byte[3];

        CmykConversion.ToRgb([c, m, y, k], rgb, adobeInverted);

        Assert.Equal(new[] { r, g, b }, rgb);
    }

    private static void AssertPixel(RgbImage image, int y, int x, int r, int g, int b)
    {
        var offset = ((y * image.Width) + x) * 3;
        Assert.InRange(image.Pixels[offset], r - Tolerance, r + Tolerance);
        Assert.InRange(image.Pixels[offset + 1], g - Tolerance, g + Tolerance);
        Assert.InRange(image.Pixels[offset + 2], b - Tolerance, b + Tolerance);
    }
}
