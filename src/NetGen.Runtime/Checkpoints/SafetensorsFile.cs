using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NetGen.Checkpoints;

/// <summary>
/// An open safetensors file whose header has been checked against the file itself: the tensors
/// tile the data buffer exactly (no overlap, no gap, nothing missing at the end), so every read
/// afterwards stays inside the file.
/// </summary>
internal sealed class SafetensorsFile : IDisposable
{
    private readonly SafeFileHandle handle;
    private readonly Dictionary<string, SafetensorsEntry> byName;
    private readonly long dataStart;

    private SafetensorsFile(string path, SafeFileHandle handle, SafetensorsHeader header, long dataStart)
    {
        Path = path;
        this.handle = handle;
        Header = header;
        this.dataStart = dataStart;
        byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The file, as the caller named it.</summary>
    public string Path { get; }

    /// <summary>The checked header.</summary>
    public SafetensorsHeader Header { get; }

    /// <summary>Opens <paramref name="path"/> and validates its header and data layout.</summary>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Checkpoints store little-endian floats and are read by reinterpreting bytes, which needs a little-endian machine.");
        }

        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var length = RandomAccess.GetLength(handle);
            if (length < sizeof(ulong))
            {
                throw new CheckpointException(path, null, $"the file holds {length} bytes, fewer than the 8-byte header length of a safetensors file.");
            }

            Span<byte> prefix = stackalloc byte[sizeof(ulong)];
            ReadExactly(handle, path, prefix, 0);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength == 0 || headerLength > SafetensorsHeader.MaxLength || headerLength > (ulong)(length - sizeof(ulong)))
            {
                throw new CheckpointException(path, null, $"the header length field says {headerLength} bytes, but the file holds {length - sizeof(ulong)} bytes after it (and headers are limited to {SafetensorsHeader.MaxLength}); this is not a safetensors file or it is truncated.");
            }

            var json = new byte[headerLength];
            ReadExactly(handle, path, json, sizeof(ulong));
            var header = SafetensorsHeader.Parse(path, json);
            var dataStart = sizeof(ulong) + (long)headerLength;
            CheckTiling(path, header, length - dataStart);
            return new SafetensorsFile(path, handle, header, dataStart);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public SafetensorsEntry? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>Reads the float32 data of <paramref name="entry"/> into <paramref name="destination"/>, whose length must match.</summary>
    public void Read(SafetensorsEntry entry, Span<float> destination)
    {
        if ((long)destination.Length * sizeof(float) != entry.End - entry.Begin)
        {
            throw new ArgumentException($"Tensor '{entry.Name}' holds {(entry.End - entry.Begin) / sizeof(float)} floats, not {destination.Length}.", nameof(destination));
        }

        ReadExactly(handle, Path, MemoryMarshal.AsBytes(destination), dataStart + entry.Begin);
    }

    /// <inheritdoc/>
    public void Dispose() => handle.Dispose();

    private static void CheckTiling(string path, SafetensorsHeader header, long dataLength)
    {
        var expected = 0L;
        SafetensorsEntry? previous = null;
        foreach (var entry in header.Tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (entry.Begin < expected)
            {
                throw new CheckpointException(path, entry.Name, $"data_offsets [{entry.Begin}, {entry.End}] overlap tensor '{previous!.Name}' [{previous.Begin}, {previous.End}].");
            }

            if (entry.Begin > expected)
            {
                throw new CheckpointException(path, entry.Name, $"data_offsets [{entry.Begin}, {entry.End}] leave bytes [{expected}, {entry.Begin}) of the data belonging to no tensor; safetensors tensors tile the data buffer.");
            }

            if (entry.End > dataLength)
            {
                throw new CheckpointException(path, entry.Name, $"data_offsets [{entry.Begin}, {entry.End}] run past the end of the data ({dataLength} bytes follow the header); the file is truncated or the offsets are out of range.");
            }

            expected = entry.End;
            previous = entry;
        }

        if (expected != dataLength)
        {
            throw new CheckpointException(path, null, $"{dataLength - expected} bytes follow the last tensor's data (ending at {expected}); the file is corrupt or not what the header describes.");
        }
    }

    private static void ReadExactly(SafeFileHandle handle, string path, Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                throw new CheckpointException(path, null, $"the file ended at byte {offset} while reading; it was truncated after it was opened.");
            }

            destination = destination[read..];
            offset += read;
        }
    }
}
