using System;
using System.Runtime.InteropServices;

namespace NetGen.Data.Images;

/// <summary>
/// Compresses pixels to JPEG with libturbojpeg: an <see cref="RgbImage"/>, or a grayscale image
/// (one byte per pixel, such as an MNIST digit scaled to 0-255), to write a sample out as a file.
/// </summary>
public static unsafe class JpegEncoder
{
    /// <summary>Encodes <paramref name="image"/> as a colour JPEG (no chroma subsampling) of <paramref name="quality"/> 1-100.</summary>
    public static byte[] EncodeRgb(RgbImage image, int quality = 95)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Encode(image.Pixels, image.Width, image.Height, TurboJpegPixelFormat.Rgb, TurboJpegSubsampling.Chroma444, quality);
    }

    /// <summary>Encodes <paramref name="pixels"/> (<paramref name="height"/> rows of <paramref name="width"/> gray levels) as a grayscale JPEG of <paramref name="quality"/> 1-100.</summary>
    public static byte[] EncodeGray(ReadOnlySpan<byte> pixels, int width, int height, int quality = 95) =>
        Encode(pixels, width, height, TurboJpegPixelFormat.Gray, TurboJpegSubsampling.Gray, quality);

    /// <summary>
    /// Encodes <paramref name="pixels"/> (<c>height</c> rows of <c>width</c> pixels in <paramref name="format"/>).
    /// Tests make every colorspace the decoder handles with it; CMYK input is in TurboJPEG's
    /// (Adobe-inverted) convention and is written as an Adobe YCCK JPEG.
    /// </summary>
    internal static byte[] Encode(
        ReadOnlySpan<byte> pixels, int width, int height, TurboJpegPixelFormat format, TurboJpegSubsampling subsampling, int quality)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        TurboJpegLibrary.EnsureAvailable();
        var channels = format switch
        {
            TurboJpegPixelFormat.Rgb => 3,
            TurboJpegPixelFormat.Gray => 1,
            TurboJpegPixelFormat.Cmyk => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unsupported pixel format."),
        };
        if (pixels.Length != (long)width * height * channels)
        {
            throw new ArgumentException($"Expected {(long)width * height * channels} bytes for {width}x{height} {format}, got {pixels.Length}.", nameof(pixels));
        }

        var handle = TurboJpegNative.tjInitCompress();
        if (handle == 0)
        {
            throw new InvalidOperationException($"TurboJPEG could not create a compressor: {TurboJpegNative.ErrorMessage(0)}");
        }

        byte* jpeg = null;
        try
        {
            CULong size = default;
            fixed (byte* source = pixels)
            {
                if (TurboJpegNative.tjCompress2(handle, source, width, 0, height, (int)format, &jpeg, &size, (int)subsampling, quality, 0) != 0)
                {
                    throw new InvalidOperationException($"TurboJPEG could not compress a {width}x{height} {format} image: {TurboJpegNative.ErrorMessage(handle)}");
                }
            }

            return new ReadOnlySpan<byte>(jpeg, checked((int)size.Value)).ToArray();
        }
        finally
        {
            if (jpeg != null)
            {
                TurboJpegNative.tjFree(jpeg);
            }

            TurboJpegNative.tjDestroy(handle);
        }
    }
}
