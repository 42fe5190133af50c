using System;
using System.Linq;
using NetGen.Data.Images;
using Xunit;

namespace NetGen.Runtime.Tests.Images;

/// <summary>The per-pixel image operations run <c>Vector&lt;float&gt;</c> lanes at a time: each must give the scalar formula's floats, tail included.</summary>
public sealed class VectorisedImageOpsTests
{
    // 3 x 7 x 13 = 273 values: no vector width divides it, so every run has a scalar tail.
    private const int Height = 7;
    private const int Width = 13;

    [Theory]
    [InlineData(0.9f)]
    [InlineData(1.7f)] // most of the bright half clamps to 1
    public void Brightness_equals_the_scalar_formula(float factor)
    {
        var image = Image();
        var expected = image.Select(value => Math.Clamp(value * factor, 0f, 1f)).ToArray();

        ImageOps.AdjustBrightness(image, factor);

        Assert.Equal(expected, image);
    }

    [Theory]
    [InlineData(0.4f)]
    [InlineData(1.6f)] // both ends clamp
    public void Contrast_equals_the_scalar_formula(float factor)
    {
        var image = Image();
        var plane = Height * Width;
        var luma = Enumerable.Range(0, plane).Sum(p => (0.2989 * image[p]) + (0.587 * image[plane + p]) + (0.114 * image[(2 * plane) + p]));
        var offset = (float)(luma / plane) * (1f - factor);
        var expected = image.Select(value => Math.Clamp((factor * value) + offset, 0f, 1f)).ToArray();

        ImageOps.AdjustContrast(image, Height, Width, factor);

        Assert.Equal(expected, image);
    }

    [Fact]
    public void Bytes_become_the_floats_of_value_over_255()
    {
        var bytes = Enumerable.Range(0, 256 + 37).Select(i => (byte)((i * 37) % 256)).ToArray();
        var values = new float[bytes.Length];

        ImageOps.ToUnitRange(bytes, values);

        Assert.Equal(bytes.Select(value => value / 255f), values);
        Assert.Throws<ArgumentException>("values", () => ImageOps.ToUnitRange(bytes, new float[bytes.Length - 1]));
    }

    /// <summary>Values spread over [0, 1] in an irregular order, so each vector holds dark and bright pixels.</summary>
    private static float[] Image() => Enumerable.Range(0, 3 * Height * Width).Select(i => ((i * 89) % 101) / 100f).ToArray();
}
