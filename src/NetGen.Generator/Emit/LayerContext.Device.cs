using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

internal sealed partial class LayerContext
{
    /// <summary>
    /// The node's tensors as device kernel arguments, as C# argument text: a device buffer and an
    /// element offset (activations at <c>batch × offset</c>, as on the CPU). The device computes no
    /// dL/dinput: an edge from the network input gets no gradient.
    /// </summary>
    internal sealed class DeviceView
    {
        private readonly LayerContext _context;

        public DeviceView(LayerContext context) => _context = context;

        private LayerPlan Plan => _context.Plan;

        public string Input => InputAt(0);

        /// <summary>The tensor the node reads as its <paramref name="edge"/>th input: the staged batch, or a producer's output.</summary>
        public string InputAt(int edge) => Plan.Inputs[edge].IsNetworkInput ? "Batch, 0" : Activation(Plan.Inputs[edge].Offset);

        public string Output => Activation(Plan.OutputOffset);

        /// <summary>The gradient of the loss with respect to this node's pre-activation output.</summary>
        public string OutputGradient => Gradient(Plan.OutputOffset);

        public string InputGradient => InputGradientAt(0);

        /// <summary>Where backward writes the gradient of the <paramref name="edge"/>th input (its own slot when the tensor has several readers).</summary>
        public string InputGradientAt(int edge) => Gradient(Plan.Inputs[edge].GradientOffset);

        public bool NeedsInputGradient => NeedsInputGradientAt(0);

        /// <summary>Whether backward writes the <paramref name="edge"/>th input's gradient: not for the network input.</summary>
        public bool NeedsInputGradientAt(int edge) => !Plan.Inputs[edge].IsNetworkInput;

        /// <summary>What the node keeps for backward, <paramref name="start"/> floats per sample into its saved region.</summary>
        public string Saved(int start = 0) => Activation(Plan.SavedOffset + start);

        /// <summary>Where an activation that saves its pre-activation (GELU) keeps it (any valid tensor when the node keeps none: the kernel ignores it).</summary>
        public string PreActivation => Plan.PreActivationOffset < 0 ? "Activations, 0" : Activation(Plan.PreActivationOffset);

        /// <summary>What the derivative of the <paramref name="edge"/>th input's producer reads: its pre-activation where it saves one, else its output.</summary>
        public string ProducerSavedAt(int edge) => SavedBy(_context.Network, Plan.Inputs[edge].Producer);

        /// <summary>
        /// The in-place multiply of the <paramref name="edge"/>th input gradient by its producer's
        /// activation derivative, where this node applies it (<see cref="ProducerActivationAt"/>).
        /// </summary>
        public void EmitProducerDerivative(SourceWriter writer, int edge, int perSample)
        {
            var activation = _context.ProducerActivationAt(edge);
            if (activation != ActivationKind.None)
            {
                writer.Line($"Launch(\"{GpuKernelRenderer.Derivative(activation)}\", batch * {perSample}, /* g */ {InputGradientAt(edge)}, /* saved */ {ProducerSavedAt(edge)}, /* count */ batch * {perSample});");
            }
        }

        /// <summary>What the derivative of <paramref name="producer"/>'s activation reads: its pre-activation where it saves one, else its output.</summary>
        public static string SavedBy(NetworkPlan network, int producer)
        {
            var layer = network.Layers[producer];
            return Activation(layer.PreActivationOffset >= 0 ? layer.PreActivationOffset : layer.OutputOffset);
        }

        public static string Activation(int offset) => offset == 0 ? "Activations, 0" : $"Activations, batch * {offset}";

        public static string Gradient(int offset) => offset == 0 ? "ActivationGradients, 0" : $"ActivationGradients, batch * {offset}";
    }
}
