using System.Runtime.InteropServices;

namespace NetGen.Data.Images;

/// <summary>
/// TurboJPEG's <c>tjscalingfactor</c>: decoding scales each side by <see cref="Numerator"/> /
/// <see cref="Denominator"/>, rounded up (<c>TJSCALED</c>).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct TurboJpegScalingFactor(int numerator, int denominator)
{
    public int Numerator { get; } = numerator;

    public int Denominator { get; } = denominator;

    /// <summary>A side of <paramref name="size"/> pixels after scaling, as TurboJPEG's <c>TJSCALED</c> rounds it.</summary>
    public int Scale(int size) => (int)((((long)size * Numerator) + Denominator - 1) / Denominator);
}

/// <summary>TurboJPEG pixel formats (<c>TJPF_*</c>) that this runtime uses.</summary>
internal enum TurboJpegPixelFormat
{
    Rgb = 0,
    Gray = 6,
    Cmyk = 11,
}

/// <summary>TurboJPEG chroma subsampling modes (<c>TJSAMP_*</c>).</summary>
internal enum TurboJpegSubsampling
{
    Chroma444 = 0,
    Chroma420 = 2,
    Gray = 3,
}

/// <summary>The colorspace of a JPEG file as its header declares it (TurboJPEG's <c>TJCS_*</c> values).</summary>
public enum JpegColorspace
{
    /// <summary>Stored as RGB without a color transform.</summary>
    Rgb = 0,

    /// <summary>The usual YCbCr color JPEG.</summary>
    YCbCr = 1,

    /// <summary>One-channel grayscale.</summary>
    Gray = 2,

    /// <summary>Four-channel CMYK, usually from print workflows.</summary>
    Cmyk = 3,

    /// <summary>CMYK stored with a YCbCr-like transform of its first three channels (Adobe).</summary>
    Ycck = 4,
}
