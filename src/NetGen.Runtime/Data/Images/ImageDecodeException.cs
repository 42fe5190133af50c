using System;
using System.IO;

namespace NetGen.Data.Images;

/// <summary>An image file could not be decoded: it is corrupt, truncated, or not an image at all.</summary>
public sealed class ImageDecodeException : IOException
{
    /// <summary>Creates the exception for <paramref name="sourceName"/> with the decoder's own explanation.</summary>
    public ImageDecodeException(string sourceName, string reason)
        : base($"Cannot decode image '{sourceName}': {reason}")
    {
        SourceName = sourceName;
        Reason = reason;
    }

    /// <summary>The file path, or archive path and entry name, of the image at fault.</summary>
    public string SourceName { get; }

    /// <summary>Why decoding failed, including libjpeg's error string when it reported one.</summary>
    public string Reason { get; }
}
