using System.Collections.Generic;
using System.Linq;
using Onnx;

namespace NetGen.Import;

/// <summary>The graph's one real input (old models also list their initializers as inputs): its name and per-sample shape.</summary>
internal sealed record NetworkInput(string Name, int[] Shape)
{
    public static NetworkInput Read(GraphProto graph, Dictionary<string, TensorProto> initializers)
    {
        var inputs = graph.Input.Where(i => !initializers.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1)
        {
            throw new OnnxImportException($"The graph has {inputs.Count} inputs besides its initializers ({string.Join(", ", inputs.Select(i => i.Name))}); a NetGen network has one.");
        }

        var input = inputs[0];
        var tensor = input.Type?.TensorType;
        if (tensor is null || tensor.ElemType != (int)TensorProto.Types.DataType.Float)
        {
            throw new OnnxImportException($"The graph input '{input.Name}' is not a float32 tensor; NetGen networks take float32 inputs.");
        }

        var dimensions = tensor.Shape?.Dim ?? [];
        if (dimensions.Count < 2 || dimensions.Skip(1).Any(d => d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || d.DimValue < 1))
        {
            throw new OnnxImportException($"The graph input '{input.Name}' has shape [{string.Join(", ", dimensions.Select(Describe))}]; NetGen needs [batch, …] with every dimension after the batch known.");
        }

        return new NetworkInput(input.Name, [.. dimensions.Skip(1).Select(d => checked((int)d.DimValue))]);
    }

    private static string Describe(TensorShapeProto.Types.Dimension dimension) =>
        dimension.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? dimension.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : dimension.DimParam.Length > 0 ? dimension.DimParam : "?";
}
