using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>
/// The kernel arguments a layer's GPU launches need, as C# argument text: each tensor is a device
/// buffer and an element offset (activations at <c>batch × offset</c>, as on the CPU).
/// </summary>
internal sealed class GpuLayerContext
{
    public GpuLayerContext(NetworkPlan network, int index)
    {
        Network = network;
        Index = index;
        Plan = network.Layers[index];
    }

    public NetworkPlan Network { get; }

    public int Index { get; }

    public LayerPlan Plan { get; }

    /// <summary>The input: the staged batch for the first layer, else the producer's output.</summary>
    public string Input => Plan.InputOffset < 0 ? "Batch, 0" : Activation(Plan.InputOffset);

    public string Output => Activation(Plan.OutputOffset);

    public string OutputGradient => Gradient(Plan.OutputOffset);

    public string InputGradient => Gradient(Plan.Inputs[0].GradientOffset);

    /// <summary>What the layer keeps for backward (Dropout's mask).</summary>
    public string Saved => Activation(Plan.SavedOffset);

    /// <summary>Where an activation that saves its pre-activation (GELU) keeps it (any valid tensor when the layer keeps none: the kernel ignores it).</summary>
    public string PreActivation => Plan.PreActivationOffset < 0 ? "Activations, 0" : Activation(Plan.PreActivationOffset);

    /// <summary>Whether backward writes an input gradient: not for the network input (the device computes no dL/dinput).</summary>
    public bool NeedsInputGradient => !Plan.Inputs[0].IsNetworkInput;

    /// <summary>The activation of the layer that produced this layer's input.</summary>
    public ActivationKind ProducerActivation => Plan.Inputs[0].Producer < 0 ? ActivationKind.None : Network.Layers[Plan.Inputs[0].Producer].Activation;

    /// <summary>What the producer's activation derivative reads: its pre-activation where the activation saves one, else its output (this layer's input).</summary>
    public string ProducerSaved =>
        Plan.Inputs[0].Producer >= 0 && Network.Layers[Plan.Inputs[0].Producer].PreActivationOffset is var pre and >= 0 ? Activation(pre) : Input;

    /// <summary>The offset constant of the parameter named <c>{layer}.{suffix}</c>, or null.</summary>
    public string? Parameter(string suffix)
    {
        foreach (var tensor in Plan.Parameters)
        {
            if (tensor.StateName.EndsWith("." + suffix))
            {
                return "Layout." + tensor.ConstantName;
            }
        }

        return null;
    }

    /// <summary>The offset constant of the buffer (non-trainable state) named <c>{layer}.{suffix}</c>, or null.</summary>
    public string? Buffer(string suffix)
    {
        foreach (var tensor in Plan.Buffers)
        {
            if (tensor.StateName.EndsWith("." + suffix))
            {
                return "Layout." + tensor.ConstantName;
            }
        }

        return null;
    }

    public static string Activation(int offset) => offset == 0 ? "Activations, 0" : $"Activations, batch * {offset}";

    public static string Gradient(int offset) => offset == 0 ? "ActivationGradients, 0" : $"ActivationGradients, batch * {offset}";
}
