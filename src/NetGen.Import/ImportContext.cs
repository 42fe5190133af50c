using System.Collections.Generic;
using Onnx;

namespace NetGen.Import;

/// <summary>What a translation may ask about the graph: constants, who produces a tensor, how many nodes read it.</summary>
internal sealed class ImportContext
{
    private readonly Dictionary<string, TensorProto> initializers;
    private readonly Dictionary<string, int> consumers;
    private readonly Dictionary<string, ImportedLayer?> producers = [];

    public ImportContext(Dictionary<string, TensorProto> initializers, Dictionary<string, int> consumers, string networkInput, long opset)
    {
        this.initializers = initializers;
        this.consumers = consumers;
        producers[networkInput] = null;
        Opset = opset;
    }

    /// <summary>The default-domain opset the model was saved with (attribute defaults differ across versions).</summary>
    public long Opset { get; }

    public bool IsConstant(string tensor) => initializers.ContainsKey(tensor);

    /// <summary>How many node inputs (and graph outputs) read <paramref name="tensor"/>.</summary>
    public int Consumers(string tensor) => consumers.GetValueOrDefault(tensor);

    /// <summary>Records that <paramref name="layer"/> (null: the network input) is what <paramref name="tensor"/> holds.</summary>
    public void Produce(string tensor, ImportedLayer? layer) => producers[tensor] = layer;

    public bool IsProduced(string tensor) => producers.ContainsKey(tensor);

    /// <summary>The layer whose output <paramref name="tensor"/> is; null for the network input.</summary>
    public ImportedLayer? ProducerOf(string tensor) => producers[tensor];

    /// <summary>The initializer at input <paramref name="index"/> of <paramref name="node"/>, which must be a constant.</summary>
    public TensorProto Constant(OnnxNode node, int index, string role)
    {
        var name = index < node.Inputs.Count ? node.Inputs[index] : string.Empty;
        if (name.Length == 0 || !initializers.TryGetValue(name, out var tensor))
        {
            throw node.Error(role, name.Length == 0
                ? "is missing; NetGen needs it as a constant (initializer)."
                : $"reads '{name}', which is computed; NetGen layers take their {role} from a constant (initializer).");
        }

        return tensor;
    }

    /// <summary>The constant at input <paramref name="index"/> as the weight <paramref name="suffix"/> of a layer.</summary>
    public LayerWeight Weight(OnnxNode node, int index, string role, string suffix)
    {
        var tensor = Constant(node, index, role);
        return new LayerWeight(suffix, tensor.Name, OnnxTensors.Shape(tensor), OnnxTensors.Floats(tensor, node));
    }

    /// <summary>Whether the optional input <paramref name="index"/> of <paramref name="node"/> is given.</summary>
    public static bool Has(OnnxNode node, int index) => index < node.Inputs.Count && node.Inputs[index].Length > 0;
}
