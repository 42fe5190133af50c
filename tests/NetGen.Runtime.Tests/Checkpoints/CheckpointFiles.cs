using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace NetGen.Runtime.Tests.Checkpoints;

/// <summary>A throwaway directory per test, and helpers to write safetensors files byte by byte.</summary>
internal sealed class CheckpointFiles : IDisposable
{
    public CheckpointFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "netgen-checkpoints-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Writes an 8-byte length, <paramref name="json"/> and <paramref name="dataLength"/> bytes of data.</summary>
    public string WriteRaw(string name, string json, int dataLength)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        var path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A header entry as safetensors writes it.</summary>
    public static string Entry(string name, string dtype, int[] shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{begin},{end}]}}";

    /// <summary>Header entries for <paramref name="tensors"/> laid end to end, each F32.</summary>
    public static List<string> Tiled(params (string Name, int[] Shape)[] tensors)
    {
        var entries = new List<string>();
        var offset = 0L;
        foreach (var (name, shape) in tensors)
        {
            var bytes = shape.Aggregate(1L, (product, d) => product * d) * 4;
            entries.Add(Entry(name, "F32", shape, offset, offset + bytes));
            offset += bytes;
        }

        return entries;
    }

    /// <summary>TinyClassifier's own tensors.</summary>
    public static (string Name, int[] Shape)[] TinyTensors =>
        [("hidden.weight", [3, 4]), ("hidden.bias", [3]), ("output.weight", [2, 3]), ("output.bias", [2])];

    /// <summary>Bytes of TinyClassifier's parameters.</summary>
    public const int TinyBytes = (12 + 3 + 6 + 2) * 4;

    public void Dispose()
    {
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
