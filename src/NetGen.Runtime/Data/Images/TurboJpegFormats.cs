namespace NetGen.Data.Images;

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
