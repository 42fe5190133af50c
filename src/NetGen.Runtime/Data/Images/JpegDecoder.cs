using System;

namespace NetGen.Data.Images;

/// <summary>
/// Decodes JPEG files to 8-bit RGB with libturbojpeg, whatever their colorspace: grayscale is
/// expanded by TurboJPEG, CMYK and YCCK are decoded as CMYK and converted here. Every failure is an
/// <see cref="ImageDecodeException"/> naming the source and carrying libjpeg's message. All methods
/// are thread-safe: each call uses its own TurboJPEG handle.
/// </summary>
public static unsafe class JpegDecoder
{
    private const int StopOnWarningFlag = 8192; // TJFLAG_STOPONWARNING

    /// <summary>Reads the header of <paramref name="jpeg"/>; <paramref name="sourceName"/> names it in errors.</summary>
    public static JpegHeader ReadHeader(ReadOnlySpan<byte> jpeg, string sourceName)
    {
        var handle = Open(jpeg, sourceName);
        try
        {
            return ReadHeader(handle, jpeg, sourceName);
        }
        finally
        {
            TurboJpegNative.tjDestroy(handle);
        }
    }

    /// <summary>
    /// Decodes <paramref name="jpeg"/> to RGB. libjpeg reports truncated or damaged entropy data as a
    /// warning and fills the rest of the image with gray; that is an error here unless
    /// <paramref name="acceptWarnings"/> is set, so a half image is never returned silently.
    /// </summary>
    public static RgbImage Decode(ReadOnlySpan<byte> jpeg, string sourceName, bool acceptWarnings = false)
    {
        var handle = Open(jpeg, sourceName);
        try
        {
            var header = ReadHeader(handle, jpeg, sourceName);
            var isCmyk = header.Colorspace is JpegColorspace.Cmyk or JpegColorspace.Ycck;
            var pixelFormat = isCmyk ? TurboJpegPixelFormat.Cmyk : TurboJpegPixelFormat.Rgb;
            var decoded = new byte[(long)header.Width * header.Height * (isCmyk ? 4 : 3)];
            int status;
            fixed (byte* source = jpeg)
            fixed (byte* destination = decoded)
            {
                status = TurboJpegNative.tjDecompress2(
                    handle, source, new((uint)jpeg.Length), destination, header.Width, 0, header.Height,
                    (int)pixelFormat, acceptWarnings ? 0 : StopOnWarningFlag);
            }

            if (status != 0)
            {
                var isWarning = TurboJpegNative.tjGetErrorCode(handle) == TurboJpegNative.ErrorWarning;
                if (!(isWarning && acceptWarnings))
                {
                    var message = TurboJpegNative.ErrorMessage(handle);
                    throw new ImageDecodeException(sourceName, isWarning
                        ? $"{message} (the image data is truncated or damaged; opt into accepting decoder warnings to keep such images)"
                        : message);
                }
            }

            if (!isCmyk)
            {
                return new RgbImage(header.Width, header.Height, decoded);
            }

            // YCCK only exists in Adobe files; plain CMYK is inverted exactly when the Adobe marker says so.
            var adobeInverted = header.Colorspace == JpegColorspace.Ycck || JpegMarkers.HasAdobeMarker(jpeg);
            var rgb = new byte[(long)header.Width * header.Height * 3];
            CmykConversion.ToRgb(decoded, rgb, adobeInverted);
            return new RgbImage(header.Width, header.Height, rgb);
        }
        finally
        {
            TurboJpegNative.tjDestroy(handle);
        }
    }

    private static nint Open(ReadOnlySpan<byte> jpeg, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        TurboJpegLibrary.EnsureAvailable();
        if (jpeg.IsEmpty)
        {
            throw new ImageDecodeException(sourceName, "the file is empty.");
        }

        var handle = TurboJpegNative.tjInitDecompress();
        if (handle == 0)
        {
            throw new InvalidOperationException($"TurboJPEG could not create a decompressor: {TurboJpegNative.ErrorMessage(0)}");
        }

        return handle;
    }

    private static JpegHeader ReadHeader(nint handle, ReadOnlySpan<byte> jpeg, string sourceName)
    {
        int status, width, height, colorspace;
        fixed (byte* source = jpeg)
        {
            status = TurboJpegNative.tjDecompressHeader3(handle, source, new((uint)jpeg.Length), out width, out height, out _, out colorspace);
        }

        if (status != 0)
        {
            throw new ImageDecodeException(sourceName, $"not a readable JPEG header: {TurboJpegNative.ErrorMessage(handle)}");
        }

        // Four bytes per pixel for CMYK must fit in one .NET array.
        if ((long)width * height * 4 > Array.MaxLength)
        {
            throw new ImageDecodeException(sourceName, $"the image is {width}x{height} pixels, too large to decode into memory.");
        }

        if (!Enum.IsDefined((JpegColorspace)colorspace))
        {
            throw new ImageDecodeException(sourceName, $"unsupported JPEG colorspace {colorspace}.");
        }

        return new JpegHeader(width, height, (JpegColorspace)colorspace);
    }
}
