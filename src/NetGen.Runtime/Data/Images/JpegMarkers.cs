using System;

namespace NetGen.Data.Images;

/// <summary>
/// Reads the JPEG marker segments that TurboJPEG's 2.x API does not expose. Only the Adobe APP14
/// marker matters here: CMYK written by Adobe software (the common case) stores inverted samples
/// and always carries this marker, so its presence decides how CMYK is turned into RGB (the
/// same rule as libjpeg's own <c>saw_Adobe_marker</c> and Pillow).
/// </summary>
internal static class JpegMarkers
{
    private const byte MarkerPrefix = 0xFF;
    private const byte StartOfImage = 0xD8;
    private const byte StartOfScan = 0xDA;
    private const byte EndOfImage = 0xD9;
    private const byte App14 = 0xEE;

    /// <summary>Whether the segments before the first scan include an Adobe APP14 marker.</summary>
    public static bool HasAdobeMarker(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != MarkerPrefix || jpeg[1] != StartOfImage)
        {
            return false;
        }

        var position = 2;
        while (position + 4 <= jpeg.Length)
        {
            if (jpeg[position] != MarkerPrefix)
            {
                return false;
            }

            var marker = jpeg[position + 1];
            if (marker == MarkerPrefix)
            {
                position++; // fill byte before a marker
                continue;
            }

            if (marker is StartOfScan or EndOfImage)
            {
                return false;
            }

            var length = (jpeg[position + 2] << 8) | jpeg[position + 3];
            var payload = jpeg.Slice(position + 4, Math.Max(0, Math.Min(length - 2, jpeg.Length - position - 4)));
            if (marker == App14 && payload.StartsWith("Adobe"u8))
            {
                return true;
            }

            position += 2 + length;
        }

        return false;
    }
}
