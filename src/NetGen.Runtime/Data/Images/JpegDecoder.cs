using System;
using System.Linq;

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

    /// <summary>The DCT scales below 1 that TurboJPEG offers (1/8 to 7/8), smallest first.</summary>
    private static readonly Lazy<TurboJpegScalingFactor[]> Downscales = new(ReadDownscales);

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
    public static RgbImage Decode(ReadOnlySpan<byte> jpeg, string sourceName, bool acceptWarnings = false) =>
        DecodeCovering(jpeg, sourceName, int.MaxValue, int.MaxValue, acceptWarnings);

    /// <summary>
    /// Decodes <paramref name="jpeg"/> to RGB at the smallest DCT scale (1/8, 2/8, ... 8/8 of each
    /// side, libjpeg-turbo's scaled inverse DCT) whose output still covers
    /// <paramref name="coverWidth"/> x <paramref name="coverHeight"/>, at full size when the image is
    /// smaller than that: the image will be resized down to that size anyway, and decoding a
    /// 500x375 photo for 180x180 at 1/2 scale produces a quarter of the pixels. Never upscales.
    /// Errors as <see cref="Decode"/>.
    /// </summary>
    public static RgbImage DecodeCovering(ReadOnlySpan<byte> jpeg, string sourceName, int coverWidth, int coverHeight, bool acceptWarnings = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(coverWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(coverHeight);
        var handle = Open(jpeg, sourceName);
        try
        {
            var header = ReadHeader(handle, jpeg, sourceName);
            var (width, height) = CoveringSize(header.Width, header.Height, coverWidth, coverHeight);
            var isCmyk = header.Colorspace is JpegColorspace.Cmyk or JpegColorspace.Ycck;
            var pixelFormat = isCmyk ? TurboJpegPixelFormat.Cmyk : TurboJpegPixelFormat.Rgb;
            var decoded = new byte[(long)width * height * (isCmyk ? 4 : 3)];
            int status;
            fixed (byte* source = jpeg)
            fixed (byte* destination = decoded)
            {
                status = TurboJpegNative.tjDecompress2(
                    handle, source, new((uint)jpeg.Length), destination, width, 0, height,
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
                return new RgbImage(width, height, decoded);
            }

            // YCCK only exists in Adobe files; plain CMYK is inverted exactly when the Adobe marker says so.
            var adobeInverted = header.Colorspace == JpegColorspace.Ycck || JpegMarkers.HasAdobeMarker(jpeg);
            var rgb = new byte[(long)width * height * 3];
            CmykConversion.ToRgb(decoded, rgb, adobeInverted);
            return new RgbImage(width, height, rgb);
        }
        finally
        {
            TurboJpegNative.tjDestroy(handle);
        }
    }

    /// <summary>
    /// The decoded size of a <paramref name="width"/> x <paramref name="height"/> JPEG at the smallest
    /// scale whose sides reach <paramref name="coverWidth"/> and <paramref name="coverHeight"/> (or the
    /// image's own sides, when smaller): TurboJPEG decodes at exactly this size when asked for it.
    /// </summary>
    internal static (int Width, int Height) CoveringSize(int width, int height, int coverWidth, int coverHeight)
    {
        var (neededWidth, neededHeight) = (Math.Min(coverWidth, width), Math.Min(coverHeight, height));
        foreach (var factor in Downscales.Value)
        {
            var (scaledWidth, scaledHeight) = (factor.Scale(width), factor.Scale(height));
            if (scaledWidth >= neededWidth && scaledHeight >= neededHeight)
            {
                return (scaledWidth, scaledHeight);
            }
        }

        return (width, height);
    }

    private static TurboJpegScalingFactor[] ReadDownscales()
    {
        TurboJpegLibrary.EnsureAvailable();
        var factors = TurboJpegNative.tjGetScalingFactors(out var count);
        if (factors is null)
        {
            throw new InvalidOperationException($"TurboJPEG did not list its scaling factors: {TurboJpegNative.ErrorMessage(0)}");
        }

        return new ReadOnlySpan<TurboJpegScalingFactor>(factors, count).ToArray()
            .Where(factor => factor.Numerator < factor.Denominator)
            .OrderBy(factor => (double)factor.Numerator / factor.Denominator)
            .ToArray();
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
