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

    /// <summary>Where backward writes the gradient of the input, or <c>default</c> when nobody needs it.</summary>
    public string InputGradient => Plan.NeedsInputGradient ? Gradient(Plan.InputOffset, Plan.Input.Size) : "default";

    /// <summary>The activation of the layer that produced this layer's input, whose backward this layer's backward fuses.</summary>
    public ActivationKind ProducerActivation => Plan.InputProducer < 0 ? ActivationKind.None : Network.Layers[Plan.InputProducer].Activation;

    /// <summary>The tensor the producer's activation derivative reads: its output, or its pre-activation for GELU.</summary>
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

    public static string ActivationLiteral(ActivationKind activation) => "global::NetGen.Activation." + activation;

    public string Parameter(string suffix) => Slice("_parameters", suffix);

    public string ParameterGradient(string suffix) => Slice("_gradients", suffix);

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
