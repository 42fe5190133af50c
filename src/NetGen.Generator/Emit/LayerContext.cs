using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// What a node's emission needs, for both backends. The members of the class are the CPU's C#
/// expressions: spans over its inputs, output, saved tensors, parameters and gradients, all sized for
/// the current <c>batch</c>. <see cref="Device"/> gives the same tensors as kernel arguments (a device
/// buffer and an element offset). What the backends share (which producer's derivative an edge fuses,
/// the parameter and buffer constants) is stated once, here. Members without an index speak of the
/// first input, the only one of every op but Add and Concat.
/// </summary>
internal sealed partial class LayerContext
{
    /// <param name="deviceInputGradients">
    /// Whether the device launches compute the gradient of the network input, for the variant of a
    /// node's device backward that runs while <c>ComputeInputGradients</c> asks for dL/dinput.
    /// </param>
    public LayerContext(NetworkPlan network, int index, bool deviceInputGradients = false)
    {
        Network = network;
        Index = index;
        Plan = network.Layers[index];
        Device = new DeviceView(this, deviceInputGradients);
    }

    /// <summary>The node's tensors as device kernel arguments.</summary>
    public DeviceView Device { get; }

    public NetworkPlan Network { get; }

    public int Index { get; }

    public LayerPlan Plan { get; }

    public string Input => InputAt(0);

    /// <summary>The tensor the node reads as its <paramref name="edge"/>th input: a network input's parameter (<c>inputs</c>, or e.g. <c>image</c>) or a producer's output.</summary>
    public string InputAt(int edge) => Plan.Inputs[edge] is { IsNetworkInput: true } input
        ? TensorArguments.Of(Network).Inputs[input.InputIndex]
        : Activation(Plan.Inputs[edge].Offset, Plan.Inputs[edge].Shape.Size);

    public string Output => Activation(Plan.OutputOffset, Plan.Output.Size);

    public string PreActivation => Plan.PreActivationOffset < 0 ? "default" : Activation(Plan.PreActivationOffset, Plan.Output.Size);

    /// <summary>The gradient of the loss with respect to this layer's pre-activation output.</summary>
    public string OutputGradient => Gradient(Plan.OutputOffset, Plan.Output.Size);

    public string InputGradient => InputGradientAt(0);

    /// <summary>
    /// Where backward writes the gradient of the <paramref name="edge"/>th input, or <c>default</c> when
    /// nobody needs it: the producer is in the frozen prefix, or at run time, its backward does not run (it
    /// and everything before it is frozen), or for the network input, nobody asked for <c>InputGradients</c>.
    /// </summary>
    public string InputGradientAt(int edge)
    {
        var input = Plan.Inputs[edge];
        if (input.Producer >= 0 && input.Producer < Network.FrozenPrefix)
        {
            // The producer is in the frozen prefix, which has no backward.
            return "default";
        }

        var needed = input.IsNetworkInput ? "_computeInputGradients" : $"_backwardFrom <= {input.Producer}";
        return $"({needed} ? {GradientOf(input.Producer, input.GradientOffset, input.Shape.Size)} : default)";
    }

    /// <summary>What the layer keeps for backward besides its output (its whole saved region).</summary>
    public string Saved => Activation(Plan.SavedOffset, Plan.SavedPerSample);

    /// <summary><paramref name="perSample"/> floats per sample of the saved region, starting <paramref name="start"/> floats per sample into it.</summary>
    public string SavedPart(int start, int perSample) => Activation(Plan.SavedOffset + start, perSample);

    /// <summary>
    /// <paramref name="length"/> floats (independent of the batch) at <paramref name="start"/> floats
    /// per sample into the saved region, for per-batch statistics; the planner reserved
    /// <paramref name="length"/> floats per sample there, so they fit for any batch of at least one.
    /// </summary>
    public string SavedTail(int start, int length) => $"_activations.AsSpan(batch * {Plan.SavedOffset + start}, {length})";

    public ActivationKind ProducerActivation => ProducerActivationAt(0);

    /// <summary>
    /// The activation whose derivative this node's backward applies to its <paramref name="edge"/>th
    /// input gradient: the producer's, when this node is its only reader; else None (the gradients of
    /// its readers are summed first, see <see cref="GradientSum"/>).
    /// </summary>
    public ActivationKind ProducerActivationAt(int edge) =>
        Plan.Inputs[edge] is { Producer: >= 0, Fusion.Fused: true } input ? Network.Layers[input.Producer].Activation : ActivationKind.None;

    /// <summary>How the <paramref name="edge"/>th input gradient ends, for comments: <c> ⊙ f′</c> with the producer's derivative, else nothing.</summary>
    public string DerivativeNote(int edge = 0) => ProducerActivationAt(edge) is var activation && activation == ActivationKind.None ? string.Empty : $" ⊙ {activation}′";

    public string ProducerSaved => ProducerSavedAt(0);

    /// <summary>The tensor the producer's activation derivative reads: its output, or its pre-activation where the activation saves one.</summary>
    public string ProducerSavedAt(int edge) => ProducerActivationAt(edge) == ActivationKind.None ? "default" : SavedBy(Network, Plan.Inputs[edge].Producer);

    /// <summary>What the derivative of <paramref name="producer"/>'s activation reads: its pre-activation where it saves one, else its output.</summary>
    public static string SavedBy(NetworkPlan network, int producer)
    {
        var layer = network.Layers[producer];
        return Activation(layer.PreActivationOffset >= 0 ? layer.PreActivationOffset : layer.OutputOffset, layer.Output.Size);
    }

    public string Parameter(string suffix) => Slice("_parameters", suffix);

    /// <summary>
    /// The gradient of a parameter, or <c>default</c> while the layer is frozen (its gradient is not
    /// computed); always <c>default</c> for a <c>[Frozen]</c> layer, which has no place in the gradient buffer.
    /// </summary>
    public string ParameterGradient(string suffix) =>
        ParameterConstant(suffix) is null || Network.HasNoGradients(Plan) ? "default" : $"(_frozen[{Index}] ? default : {Slice("_gradients", suffix)})";

    /// <summary>The gradient buffer a layer view reads its gradients from: <c>null</c> for a <c>[Frozen]</c> layer, which has none.</summary>
    public string GradientBuffer => Network.HasNoGradients(Plan) ? "null" : "_gradients";

    /// <summary>
    /// The trailing argument of a backward call that makes it add to the parameter gradients instead of
    /// overwriting them (a use of shared parameters that backward reaches after another); empty otherwise.
    /// </summary>
    public string AccumulateArgument => Plan.AccumulatesParameterGradients ? ", accumulate: true" : string.Empty;

    /// <summary>A non-trainable state tensor named <c>{layer}.{suffix}</c> in the buffer region.</summary>
    public string Buffer(string suffix) => BufferConstant(suffix) is { } constant ? $"_buffers.AsSpan({constant}, {constant}Length)" : "default";

    /// <summary>The offset constant of the buffer named <c>{layer}.{suffix}</c>, or null when the layer lacks it.</summary>
    public string? BufferConstant(string suffix) =>
        Plan.Buffers.FirstOrDefault(p => p.StateName.EndsWith("." + suffix)) is { } tensor ? "Layout." + tensor.ConstantName : null;

    /// <summary>The offset constant of the parameter named <c>{layer}.{suffix}</c>, or null when the layer lacks it.</summary>
    public string? ParameterConstant(string suffix) =>
        Plan.Parameters.FirstOrDefault(p => p.StateName.EndsWith("." + suffix)) is { } tensor ? "Layout." + tensor.ConstantName : null;

    private string Slice(string buffer, string suffix)
    {
        var constant = ParameterConstant(suffix);
        return constant is null ? "default" : $"{buffer}.AsSpan({constant}, {constant}Length)";
    }

    public static string Activation(int offset, int size) => $"_activations.AsSpan(batch * {offset}, batch * {size})";

    public static string Gradient(int offset, int size) => $"_activationGradients.AsSpan(batch * {offset}, batch * {size})";

    /// <summary>A gradient of what <paramref name="producer"/> made: in the activation-gradient buffer, or the input-gradient buffer for the network input (-1).</summary>
    public static string GradientOf(int producer, int offset, int size) =>
        producer < 0 ? $"_inputGradients.AsSpan(batch * {offset}, batch * {size})" : Gradient(offset, size);
}
