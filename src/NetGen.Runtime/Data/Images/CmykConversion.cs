using System;

namespace NetGen.Data.Images;

/// <summary>
/// Naive CMYK to RGB conversion (no color profile): each RGB channel is what is left after its
/// complementary ink and black. Libraries without a color management system (Pillow, browsers
/// without profiles) do the same.
/// </summary>
public static class CmykConversion
{
    /// <summary>
    /// Converts packed CMYK (4 bytes per pixel) to packed RGB (3 bytes per pixel).
    /// <paramref name="adobeInverted"/> says the samples are stored inverted (255 = no ink), as
    /// Adobe software writes them; otherwise 255 means full ink.
    /// </summary>
    public static void ToRgb(ReadOnlySpan<byte> cmyk, Span<byte> rgb, bool adobeInverted)
    {
        if (cmyk.Length % 4 != 0)
        {
            throw new ArgumentException($"CMYK data must hold 4 bytes per pixel; got {cmyk.Length} bytes.", nameof(cmyk));
        }

        var pixels = cmyk.Length / 4;
        if (rgb.Length != pixels * 3)
        {
            throw new ArgumentException($"Expected {pixels * 3} RGB bytes for {pixels} pixels, got {rgb.Length}.", nameof(rgb));
        }

        for (var p = 0; p < pixels; p++)
        {
            var source = cmyk.Slice(p * 4, 4);
            var k = Remaining(source[3], adobeInverted);
            for (var c = 0; c < 3; c++)
            {
                // remaining light of this channel times remaining light after black, rounded
                rgb[(p * 3) + c] = (byte)(((Remaining(source[c], adobeInverted) * k) + 127) / 255);
            }
        }
    }

    /// <summary>How much light an ink sample lets through, 0..255.</summary>
    private static int Remaining(byte sample, bool adobeInverted) => adobeInverted ? sample : 255 - sample;
}
