using System;
using System.IO;
using NetGen.Data.Images;

namespace NetGen.Runtime.Tests.Images;

/// <summary>Small JPEGs made with TurboJPEG itself, and a temporary folder to put them in.</summary>
internal static class TestImages
{
    /// <summary>A <paramref name="size"/>-square RGB JPEG, left half <paramref name="left"/>, right half <paramref name="right"/>.</summary>
    public static byte[] TwoColorRgb(int size, (byte R, byte G, byte B) left, (byte R, byte G, byte B) right)
    {
        var pixels = new byte[size * size * 3];
        for (var p = 0; p < size * size; p++)
        {
            var (r, g, b) = p % size < size / 2 ? left : right;
            pixels[p * 3] = r;
            pixels[(p * 3) + 1] = g;
            pixels[(p * 3) + 2] = b;
        }

        return JpegEncoder.Encode(pixels, size, size, TurboJpegPixelFormat.Rgb, TurboJpegSubsampling.Chroma444, 95);
    }

    /// <summary>A grayscale JPEG, left half <paramref name="left"/>, right half <paramref name="right"/>.</summary>
    public static byte[] TwoLevelGray(int size, byte left, byte right)
    {
        var pixels = new byte[size * size];
        for (var p = 0; p < pixels.Length; p++)
        {
            pixels[p] = p % size < size / 2 ? left : right;
        }

        return JpegEncoder.Encode(pixels, size, size, TurboJpegPixelFormat.Gray, TurboJpegSubsampling.Gray, 95);
    }

    /// <summary>
    /// An Adobe CMYK (YCCK) JPEG, left half pure red, right half pure blue. TurboJPEG's CMYK samples
    /// are inverted (255 = no ink): red is no cyan, full magenta and yellow, no black.
    /// </summary>
    public static byte[] RedBlueCmyk(int size)
    {
        var pixels = new byte[size * size * 4];
        for (var p = 0; p < size * size; p++)
        {
            byte[] cmyk = p % size < size / 2 ? [255, 0, 0, 255] : [0, 0, 255, 255];
            cmyk.CopyTo(pixels, p * 4);
        }

        return JpegEncoder.Encode(pixels, size, size, TurboJpegPixelFormat.Cmyk, TurboJpegSubsampling.Chroma444, 95);
    }

    /// <summary>A JPEG of seeded noise, so its entropy-coded data is long enough to cut short.</summary>
    public static byte[] Noise(int size, ulong seed)
    {
        var random = new SeededRandom(seed);
        var pixels = new byte[size * size * 3];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)random.NextInt(256);
        }

        return JpegEncoder.Encode(pixels, size, size, TurboJpegPixelFormat.Rgb, TurboJpegSubsampling.Chroma420, 90);
    }
}

/// <summary>A fresh temporary folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("netgen-images-").FullName;

    /// <summary>Writes <paramref name="bytes"/> at <paramref name="relativePath"/>, creating folders; returns the full path.</summary>
    public string Write(string relativePath, byte[] bytes)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
