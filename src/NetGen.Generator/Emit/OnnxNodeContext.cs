using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// What a layer's ONNX translation needs in the generated <c>ExportOnnx</c>: the names of the tensors
/// it reads and of its parameters (state_dict names, which are also the initializers' names), and the
/// tensor its op writes. The layer's activation, and for the output layer the loss's link, are applied
/// after it by <see cref="OnnxExportEmitter"/>, so a layer writes only its own op into <see cref="Result"/>.
/// </summary>
internal sealed class OnnxNodeContext
{
    public OnnxNodeContext(NetworkPlan network, int index, string result)
    {
        Network = network;
        Plan = network.Layers[index];
        Result = result;
    }

    public NetworkPlan Network { get; }

    public LayerPlan Plan { get; }

    /// <summary>The node's name, the layer's state_dict prefix: an ONNX Runtime error then names the layer.</summary>
    public string Name => Plan.Layer.StateName;

    /// <summary>The tensor the layer's own op writes (its pre-activation when an activation follows).</summary>
    public string Result { get; }

    public string Input => InputAt(0);

    /// <summary>
    /// The tensor the <paramref name="edge"/>th input reads: <c>input</c>, or the output of the layer the
    /// declaration names (a Flatten included: the edge's producer index looks through reshapes, the ONNX graph does not).
    /// </summary>
    public string InputAt(int edge)
    {
        var producer = Plan.Inputs[edge].ProducerName;
        return producer == InputReference.NetworkInput ? OnnxExportEmitter.InputName : Network.Layers.First(l => l.Layer.PropertyName == producer).Layer.StateName;
    }

    /// <summary>The initializer of the parameter or buffer named <c>{prefix}.{suffix}</c> (the owner's, for a <c>[Reuse]</c>), or null when the layer has none (a Dense without bias).</summary>
    public string? Tensor(string suffix) =>
        Plan.Parameters.Concat(Plan.Buffers).Select(p => p.StateName).FirstOrDefault(n => n.EndsWith("." + suffix, System.StringComparison.Ordinal));

    /// <summary>A C# string array literal of tensor names, the nulls (absent optional inputs) left out.</summary>
    public static string Names(params string?[] names) => "[" + string.Join(", ", names.Where(n => n is not null).Select(n => $"\"{n}\"")) + "]";

    /// <summary>A float as a C# literal that round-trips (<c>1E-05f</c>).</summary>
    public static string Float(double value) => ((float)value).ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "f";

    /// <summary>
    /// One <c>graph.Node(…)</c> call writing <see cref="Result"/>, or for a layer of several nodes the
    /// tensor <paramref name="output"/> of a node named after the layer and <paramref name="step"/>;
    /// attribute lists are C# tuple-array literals or null.
    /// </summary>
    public string Node(string op, string inputs, string? ints = null, string? intLists = null, string? floats = null, string? output = null, string? step = null) =>
        $"graph.Node(op: \"{op}\", name: \"{(step is null ? Name : Name + "." + step)}\", inputs: {inputs}, output: \"{output ?? Result}\""
        + (ints is null ? string.Empty : $", ints: {ints}")
        + (intLists is null ? string.Empty : $", intLists: {intLists}")
        + (floats is null ? string.Empty : $", floats: {floats}")
        + ");";
}
