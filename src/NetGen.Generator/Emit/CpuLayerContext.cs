using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// The C# expressions a layer's CPU emission needs: spans over its input, output, saved tensors,
/// parameters and gradients, all sized for the current <c>batch</c>.
/// </summary>
internal sealed class CpuLayerContext
{
    public CpuLayerContext(NetworkPlan network, int index)
    {
        Network = network;
        Index = index;
        Plan = network.Layers[index];
    }

    public NetworkPlan Network { get; }

    public int Index { get; }

    public LayerPlan Plan { get; }

    public string Input => Plan.InputOffset < 0 ? "inputs" : Activation(Plan.InputOffset, Plan.Input.Size);

    public string Output => Activation(Plan.OutputOffset, Plan.Output.Size);

    public string PreActivation => Plan.PreActivationOffset < 0 ? "default" : Activation(Plan.PreActivationOffset, Plan.Output.Size);

    /// <summary>The gradient of the loss with respect to this layer's pre-activation output.</summary>
    public string OutputGradient => Gradient(Plan.OutputOffset, Plan.Output.Size);

    /// <summary>
    /// Where backward writes the gradient of the input, or <c>default</c> when nobody needs it: the
    /// first layer, or (decided at run time) no trainable layer lies before this one.
    /// </summary>
    public string InputGradient => Plan.NeedsInputGradient ? $"(_firstTrainable < {Index} ? {Gradient(Plan.InputOffset, Plan.Input.Size)} : default)" : "default";

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

    /// <summary>The activation of the layer that produced this layer's input, whose backward this layer's backward fuses.</summary>
    public ActivationKind ProducerActivation => Plan.InputProducer < 0 ? ActivationKind.None : Network.Layers[Plan.InputProducer].Activation;

    /// <summary>The tensor the producer's activation derivative reads: its output, or its pre-activation where the activation saves one.</summary>
    public string ProducerSaved
    {
        get
        {
            if (Plan.InputProducer < 0 || ProducerActivation == ActivationKind.None)
            {
                return "default";
            }

            var producer = Network.Layers[Plan.InputProducer];
            return producer.PreActivationOffset >= 0 ? Activation(producer.PreActivationOffset, producer.Output.Size) : Input;
        }
    }

    public string Parameter(string suffix) => Slice("_parameters", suffix);

    /// <summary>The gradient of a parameter, or <c>default</c> while the layer is frozen (its gradient is not computed).</summary>
    public string ParameterGradient(string suffix) =>
        ParameterConstant(suffix) is null ? "default" : $"(_frozen[{Index}] ? default : {Slice("_gradients", suffix)})";

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

    private static string Activation(int offset, int size) => $"_activations.AsSpan(batch * {offset}, batch * {size})";

    private static string Gradient(int offset, int size) => $"_activationGradients.AsSpan(batch * {offset}, batch * {size})";
}
