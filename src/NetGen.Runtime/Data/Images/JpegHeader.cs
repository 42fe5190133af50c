namespace NetGen.Data.Images;

/// <summary>What a JPEG header says about the image, read without decoding the pixels.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Colorspace">How the samples are stored; every colorspace decodes to RGB.</param>
public readonly record struct JpegHeader(int Width, int Height, JpegColorspace Colorspace);
