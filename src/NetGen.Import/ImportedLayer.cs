using System.Collections.Generic;

namespace NetGen.Import;

/// <summary>The NetGen layer kinds an ONNX graph becomes; each is an attribute and a property type of the same name.</summary>
internal enum LayerKind
{
    Conv2D,
    BatchNorm,
    Dense,
    MaxPool2D,
    AvgPool2D,
    GlobalAveragePool2D,
    Flatten,
    Dropout,
    Add,
    Concat,
}

/// <summary>One weight tensor of a layer: its state_dict suffix (<c>weight</c>), the ONNX initializer it came from, shape and values.</summary>
internal sealed record LayerWeight(string Suffix, string OnnxName, int[] Shape, float[] Values);

/// <summary>
/// One layer of the declaration being written: what the attribute says, which ONNX tensors it reads,
/// its weights, and the ONNX nodes it stands for (its own and any activation folded into it).
/// </summary>
internal sealed class ImportedLayer
{
    public ImportedLayer(OnnxNode node, LayerKind kind, IReadOnlyList<string> reads)
    {
        Kind = kind;
        Reads = reads;
        NodeName = node.Proto.Name;
        OperatorType = node.OperatorType;
        Nodes.Add($"{node.Name} ({node.OperatorType})");
    }

    public LayerKind Kind { get; }

    /// <summary>The name of the node the layer comes from (empty when the node has none).</summary>
    public string NodeName { get; }

    public string OperatorType { get; }

    /// <summary>The ONNX tensors the layer reads: one, or the branches of an Add or Concat.</summary>
    public IReadOnlyList<string> Reads { get; }

    /// <summary>The attribute's positional arguments before the activation, as C# (<c>64</c>, <c>7</c>).</summary>
    public List<string> Positional { get; } = [];

    /// <summary>The attribute's named arguments, as C# (<c>Stride = 2</c>).</summary>
    public List<string> Named { get; } = [];

    public List<LayerWeight> Weights { get; } = [];

    /// <summary>The activation the layer applies after its own work; set when a Relu, Softmax or Sigmoid node is folded in.</summary>
    public Activation Activation { get; set; } = Activation.None;

    /// <summary>The ONNX nodes this layer implements, for its comment.</summary>
    public List<string> Nodes { get; } = [];

    public string PropertyName { get; set; } = "";

    /// <summary>Whether NetGen's attribute for this kind takes an activation (and which may be folded in).</summary>
    public bool Accepts(Activation activation) => Kind switch
    {
        LayerKind.Dense => true,
        LayerKind.Conv2D or LayerKind.BatchNorm or LayerKind.Add => activation != Activation.Softmax,
        LayerKind.MaxPool2D or LayerKind.AvgPool2D or LayerKind.GlobalAveragePool2D or LayerKind.Flatten or LayerKind.Dropout or LayerKind.Concat => false,
    };
}
