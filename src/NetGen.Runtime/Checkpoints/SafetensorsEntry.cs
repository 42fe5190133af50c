using System.Collections.Generic;

namespace NetGen.Checkpoints;

/// <summary>
/// One tensor of a safetensors header: its dtype, shape and the byte range of its data, relative to
/// the start of the data buffer that follows the header.
/// </summary>
internal sealed record SafetensorsEntry(string Name, string DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>The only dtype NetGen writes and reads: little-endian IEEE float32.</summary>
    public const string Float32 = "F32";

    /// <summary>Whether the shape is exactly <paramref name="shape"/>.</summary>
    public bool HasShape(IReadOnlyList<int> shape)
    {
        if (Shape.Count != shape.Count)
        {
            return false;
        }

        for (var i = 0; i < shape.Count; i++)
        {
            if (Shape[i] != shape[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The shape as <c>[a, b]</c>, for messages.</summary>
    public static string Format<T>(IReadOnlyList<T> shape) => "[" + string.Join(", ", shape) + "]";
}
