using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace NetGen.Checkpoints;

/// <summary>
/// The JSON header of a safetensors file: <c>{"name": {"dtype", "shape", "data_offsets"}, ...,
/// "__metadata__": {string: string}}</c>. Parsing checks each entry on its own; how the entries
/// tile the data buffer is checked by <see cref="SafetensorsFile"/>.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The reserved key holding free-form string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>safetensors' own limit on the header size, which keeps a corrupt length from allocating gigabytes.</summary>
    public const long MaxLength = 100_000_000;

    public SafetensorsHeader(IReadOnlyList<SafetensorsEntry> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The tensors, in header order.</summary>
    public IReadOnlyList<SafetensorsEntry> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The header as UTF-8 JSON, padded with spaces to a multiple of 8 bytes so the data stays aligned.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (Metadata.Count > 0)
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in Metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            foreach (var tensor in Tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType);
                json.WriteStartArray("shape");
                foreach (var dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(tensor.Begin);
                json.WriteNumberValue(tensor.End);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        var padding = (int)((8 - (buffer.Length % 8)) % 8);
        buffer.Write(Encoding.ASCII.GetBytes(new string(' ', padding)));
        return buffer.ToArray();
    }

    /// <summary>Parses and checks the header of the file at <paramref name="path"/>.</summary>
    public static SafetensorsHeader Parse(string path, ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException error)
        {
            throw new CheckpointException(path, null, $"the header is not well-formed JSON ({error.Message}); the file is not a safetensors checkpoint or is corrupt.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CheckpointException(path, null, $"the header is a JSON {document.RootElement.ValueKind}, not an object of tensors.");
            }

            var tensors = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new CheckpointException(path, property.Name, "appears twice in the header.");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(path, property.Value, metadata);
                }
                else
                {
                    tensors.Add(ReadEntry(path, property.Name, property.Value));
                }
            }

            return new SafetensorsHeader(tensors, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement element, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointException(path, null, $"{MetadataKey} must be an object of strings, not a {element.ValueKind}.");
        }

        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new CheckpointException(path, null, $"{MetadataKey} value '{entry.Name}' is a {entry.Value.ValueKind}; safetensors metadata values are strings.");
            }

            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
            {
                throw new CheckpointException(path, null, $"{MetadataKey} key '{entry.Name}' appears twice.");
            }
        }
    }

    private static SafetensorsEntry ReadEntry(string path, string name, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointException(path, name, $"the header entry is a {element.ValueKind}, not an object with dtype, shape and data_offsets.");
        }

        string? dtype = null;
        List<long>? shape = null;
        List<long>? offsets = null;
        foreach (var field in element.EnumerateObject())
        {
            switch (field.Name)
            {
                case "dtype" when field.Value.ValueKind == JsonValueKind.String && dtype is null:
                    dtype = field.Value.GetString();
                    break;
                case "shape" when shape is null:
                    shape = ReadIntegers(path, name, "shape", field.Value);
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ReadIntegers(path, name, "data_offsets", field.Value);
                    break;
                default:
                    throw new CheckpointException(path, name, $"unexpected or repeated field '{field.Name}' ({field.Value.ValueKind}); an entry holds a dtype string, a shape and data_offsets.");
            }
        }

        if (dtype is null || shape is null || offsets is null)
        {
            throw new CheckpointException(path, name, "the header entry lacks " + (dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets") + ".");
        }

        if (dtype != SafetensorsEntry.Float32)
        {
            throw new CheckpointException(path, name, $"dtype is {dtype}; NetGen checkpoints hold {SafetensorsEntry.Float32} tensors only.");
        }

        if (offsets.Count != 2 || offsets[0] > offsets[1])
        {
            throw new CheckpointException(path, name, $"data_offsets {SafetensorsEntry.Format(offsets)} must be two numbers [begin, end] with begin <= end.");
        }

        long elements = 1;
        foreach (var dimension in shape)
        {
            elements = dimension == 0 ? 0 : elements > (long.MaxValue / 4) / dimension ? throw new CheckpointException(path, name, $"shape {SafetensorsEntry.Format(shape)} is too large.") : elements * dimension;
        }

        if (offsets[1] - offsets[0] != elements * sizeof(float))
        {
            throw new CheckpointException(path, name, $"data_offsets {SafetensorsEntry.Format(offsets)} span {offsets[1] - offsets[0]} bytes but shape {SafetensorsEntry.Format(shape)} of {dtype} needs {elements * sizeof(float)}.");
        }

        return new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static List<long> ReadIntegers(string path, string name, string field, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new CheckpointException(path, name, $"{field} is a {element.ValueKind}, not an array of non-negative integers.");
        }

        var values = new List<long>();
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value) || value < 0)
            {
                throw new CheckpointException(path, name, $"{field} holds {item.GetRawText()}, not a non-negative integer.");
            }

            values.Add(value);
        }

        return values;
    }
}
