using System;
using System.Buffers.Binary;
using System.Linq;
using Onnx;

namespace NetGen.Import;

/// <summary>Reads the float32 values and the shape of an ONNX initializer.</summary>
internal static class OnnxTensors
{
    public static int[] Shape(TensorProto tensor) => [.. tensor.Dims.Select(d => checked((int)d))];

    /// <summary>The values of <paramref name="tensor"/>, from <c>raw_data</c> (little-endian) or <c>float_data</c>.</summary>
    public static float[] Floats(TensorProto tensor, OnnxNode reader)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw reader.Error(null, $"initializer '{tensor.Name}' keeps its data in an external file; save the model with its weights inside (onnx.save(..., save_as_external_data=False)).");
        }

        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw reader.Error(null, $"initializer '{tensor.Name}' holds {(TensorProto.Types.DataType)tensor.DataType} values; the NetGen importer reads float32 weights only.");
        }

        var count = Shape(tensor).Aggregate(1L, (product, d) => product * d);
        float[] values;
        if (tensor.RawData.Length > 0)
        {
            var raw = tensor.RawData.Span;
            values = new float[raw.Length / sizeof(float)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * sizeof(float)));
            }
        }
        else
        {
            values = [.. tensor.FloatData];
        }

        if (values.Length != count)
        {
            throw reader.Error(null, $"initializer '{tensor.Name}' has {values.Length} values for its shape [{string.Join(", ", tensor.Dims)}] ({count}).");
        }

        return values;
    }

    /// <summary>The transpose of a row-major <paramref name="rows"/>×<paramref name="columns"/> matrix.</summary>
    public static float[] Transpose(float[] values, int rows, int columns)
    {
        var transposed = new float[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                transposed[(c * rows) + r] = values[(r * columns) + c];
            }
        }

        return transposed;
    }
}
