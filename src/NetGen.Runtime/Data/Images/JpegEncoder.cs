using System;
using System.Runtime.InteropServices;

namespace NetGen.Data.Images;

/// <summary>
/// Compresses packed pixels to JPEG with libturbojpeg. Tests use it to make images in every
/// colorspace the decoder must handle; CMYK input is in TurboJPEG's (Adobe-inverted) convention
/// and is written as an Adobe YCCK JPEG.
/// </summary>
internal static unsafe class JpegEncoder
{
    /// <summary>Encodes <paramref name="pixels"/> (<c>height</c> rows of <c>width</c> pixels in <paramref name="format"/>).</summary>
    public static byte[] Encode(
        ReadOnlySpan<byte> pixels, int width, int height, TurboJpegPixelFormat format, TurboJpegSubsampling subsampling, int quality)
    {
        TurboJpegLibrary.EnsureAvailable();
        var channels = format switch
        {
            TurboJpegPixelFormat.Rgb => 3,
            TurboJpegPixelFormat.Gray => 1,
            TurboJpegPixelFormat.Cmyk => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unsupported pixel format."),
        };
        if (pixels.Length != width * height * channels)
        {
            throw new ArgumentException($"Expected {width * height * channels} bytes for {width}x{height} {format}, got {pixels.Length}.", nameof(pixels));
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
