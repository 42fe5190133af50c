using System;

namespace NetGen.Data.Images;

/// <summary>An 8-bit RGB image stored row by row, three bytes per pixel (HWC).</summary>
public sealed class RgbImage
{
    /// <summary>Wraps <paramref name="pixels"/>, which must hold exactly <c>height * width * 3</c> bytes.</summary>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != (long)width * height * 3)
        {
            throw new ArgumentException($"Expected {(long)width * height * 3} bytes for a {width}x{height} RGB image, got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels, <c>[y, x, channel]</c> with channels R, G, B.</summary>
    public byte[] Pixels { get; }
}
