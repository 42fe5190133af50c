using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace NetGen.Data;

/// <summary>
/// Reads IDX files (the MNIST format: a big-endian magic number, one big-endian int32 per
/// dimension, then unsigned bytes), gzipped or not. Every failure names the file.
/// </summary>
internal static class IdxFile
{
    /// <summary>Reads a whole unsigned-byte IDX file with <paramref name="expectedMagic"/> and returns its dimensions and bytes.</summary>
    public static (int[] Dimensions, byte[] Data) Read(string path, int expectedMagic)
    {
        var dimensionCount = expectedMagic & 0xFF;
        try
        {
            using var stream = OpenDecompressed(path);
            // The magic number is checked before the rest of the header so that a file of the wrong
            // kind is reported as such, not as a short header.
            var header = new byte[4 * (1 + dimensionCount)];
            var headerRead = ReadFully(stream, header.AsSpan(0, 4));
            if (headerRead == 4)
            {
                var magic = BinaryPrimitives.ReadInt32BigEndian(header);
                if (magic != expectedMagic)
                {
                    throw new DataFormatException(path, $"'{path}' has magic number 0x{magic:X8} but 0x{expectedMagic:X8} was expected; it is not the IDX file this name promises.");
                }

                headerRead += ReadFully(stream, header.AsSpan(4));
            }

            if (headerRead < header.Length)
            {
                throw new DataFormatException(path, $"'{path}' is truncated: its header needs {header.Length} bytes but the file holds only {headerRead}.");
            }

            var dimensions = new int[dimensionCount];
            long size = 1;
            for (var d = 0; d < dimensionCount; d++)
            {
                dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * (d + 1)));
                if (dimensions[d] < 0)
                {
                    throw new DataFormatException(path, $"'{path}' declares a negative size {dimensions[d]} for dimension {d}.");
                }

                size *= dimensions[d];
            }

            if (size > Array.MaxLength)
            {
                throw new DataFormatException(path, $"'{path}' declares dimensions [{string.Join(", ", dimensions)}], {size} bytes, more than one array can hold.");
            }

            var data = new byte[size];
            var dataRead = ReadFully(stream, data);
            if (dataRead < data.Length)
            {
                throw new DataFormatException(path, $"'{path}' is truncated: its header announces dimensions [{string.Join(", ", dimensions)}], {data.Length} bytes of data, but only {dataRead} follow.");
            }

            // Reading one byte past the end also makes GZipStream check the stream's CRC and length trailer.
            if (stream.ReadByte() >= 0)
            {
                throw new DataFormatException(path, $"'{path}' holds more data than the {data.Length} bytes its header announces (dimensions [{string.Join(", ", dimensions)}]).");
            }

            return (dimensions, data);
        }
        catch (InvalidDataException ex)
        {
            throw new DataFormatException(path, $"'{path}' is not a valid gzip stream (corrupt or truncated): {ex.Message}", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw new DataFormatException(path, $"'{path}' is truncated: {ex.Message}", ex);
        }
    }

    /// <summary>Opens <paramref name="path"/>, decompressing on the fly when it starts with the gzip signature.</summary>
    private static Stream OpenDecompressed(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var isGzip = file.ReadByte() == 0x1F && file.ReadByte() == 0x8B;
        file.Position = 0;
        return isGzip ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
