using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace NetGen.Checkpoints;

/// <summary>One float32 tensor to write with <see cref="SafetensorsWriter"/>: its name, shape and values in row-major order.</summary>
/// <param name="Name">The safetensors name, e.g. <c>conv1.weight</c>.</param>
/// <param name="Shape">The dimensions, e.g. <c>[64, 3, 7, 7]</c>.</param>
/// <param name="Values">The values, as many as the shape holds.</param>
public sealed record NamedTensor(string Name, IReadOnlyList<int> Shape, float[] Values);

/// <summary>
/// Writes named float32 tensors as a safetensors file that <see cref="Checkpoint.Load"/> and
/// <see cref="Checkpoint.LoadPartial(string, INetwork, IReadOnlyList{string})"/> read, for weights that
/// come from elsewhere than a network instance (an imported ONNX model, a conversion script).
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> and <paramref name="metadata"/> to <paramref name="path"/>, replacing it atomically.</summary>
    /// <exception cref="ArgumentException">Two tensors share a name, or a tensor's values do not fill its shape.</exception>
    public static void Write(string path, IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = new List<SafetensorsEntry>(tensors.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var offset = 0L;
        foreach (var tensor in tensors)
        {
            var shape = CheckedShape(tensor);
            if (!names.Add(tensor.Name))
            {
                throw new ArgumentException($"Two tensors are named '{tensor.Name}'.", nameof(tensors));
            }

            var end = offset + ((long)tensor.Values.Length * sizeof(float));
            entries.Add(new SafetensorsEntry(tensor.Name, SafetensorsEntry.Float32, shape, offset, end));
            offset = end;
        }

        var json = new SafetensorsHeader(entries, metadata ?? new Dictionary<string, string>()).ToJson();
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[sizeof(ulong)];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
            stream.Write(length);
            stream.Write(json);
            foreach (var tensor in tensors)
            {
                stream.Write(MemoryMarshal.AsBytes(tensor.Values.AsSpan()));
            }
        });
    }

    private static long[] CheckedShape(NamedTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var shape = new long[tensor.Shape.Count];
        var count = 1L;
        for (var i = 0; i < shape.Length; i++)
        {
            if (tensor.Shape[i] < 0)
            {
                throw new ArgumentException($"Tensor '{tensor.Name}' has a negative dimension in its shape {SafetensorsEntry.Format(tensor.Shape)}.", nameof(tensor));
            }

            shape[i] = tensor.Shape[i];
            count *= tensor.Shape[i];
        }

        if (count != tensor.Values.Length)
        {
            throw new ArgumentException($"Tensor '{tensor.Name}' has {tensor.Values.Length} values but its shape {SafetensorsEntry.Format(tensor.Shape)} holds {count}.", nameof(tensor));
        }

        return shape;
    }
}
