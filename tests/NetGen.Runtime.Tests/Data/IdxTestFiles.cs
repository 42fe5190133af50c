using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using NetGen.Data;

namespace NetGen.Runtime.Tests.Data;

/// <summary>Writes small IDX files (valid or deliberately broken) for the reader tests.</summary>
internal static class IdxTestFiles
{
    /// <summary>The IDX bytes: big-endian magic, one big-endian int32 per dimension, then the payload.</summary>
    public static byte[] Build(int magic, int[] dimensions, byte[] payload)
    {
        var bytes = new byte[4 * (1 + dimensions.Length) + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (var d = 0; d < dimensions.Length; d++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 * (d + 1)), dimensions[d]);
        }

        payload.CopyTo(bytes, 4 * (1 + dimensions.Length));
        return bytes;
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>An images file of <paramref name="count"/> images in a fixed pattern, distinct per image and poorly compressible.</summary>
    public static byte[] ImagesBytes(int count, int rows = 28, int cols = 28)
    {
        var payload = new byte[count * rows * cols];
        for (var i = 0; i < count; i++)
        {
            for (var p = 0; p < rows * cols; p++)
            {
                payload[(i * rows * cols) + p] = (byte)((i * 31) + (p * 7) + (p * p % 251));
            }
        }

        return Build(MnistReader.ImagesMagic, [count, rows, cols], payload);
    }

    public static byte[] LabelsBytes(params byte[] labels) => Build(MnistReader.LabelsMagic, [labels.Length], labels);

    /// <summary>Writes a valid gzipped pair for <paramref name="split"/> with <paramref name="count"/> samples labelled i mod 10.</summary>
    public static (string Images, string Labels) WriteSplit(string directory, MnistSplit split, int count)
    {
        var (images, labels) = MnistFile.ForSplit(split);
        var labelBytes = new byte[count];
        for (var i = 0; i < count; i++)
        {
            labelBytes[i] = (byte)(i % 10);
        }

        var imagesPath = Path.Combine(directory, images.GzipName);
        var labelsPath = Path.Combine(directory, labels.GzipName);
        File.WriteAllBytes(imagesPath, Gzip(ImagesBytes(count)));
        File.WriteAllBytes(labelsPath, Gzip(LabelsBytes(labelBytes)));
        return (imagesPath, labelsPath);
    }
}
