using System.Linq;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

internal sealed partial class LayerContext
{
    /// <summary>
    /// The node's tensors as device kernel arguments, as C# argument text: a device buffer and an
    /// element offset (activations at <c>batch × offset</c>, as on the CPU). An edge from the network
    /// input gets a gradient (in <c>InputGradientBuffer</c>, laid out as on the CPU) only in the view
    /// that computes dL/dinput: a node reading the input has two device backward variants, chosen at run
    /// time by <c>ComputeInputGradients</c>.
    /// </summary>
    internal sealed class DeviceView
    {
        private readonly LayerContext _context;
        private readonly bool _inputGradients;

        public DeviceView(LayerContext context, bool inputGradients)
        {
            _context = context;
            _inputGradients = inputGradients;
        }

        private LayerPlan Plan => _context.Plan;

        public string Input => InputAt(0);

        /// <summary>The tensor the node reads as its <paramref name="edge"/>th input: the staged batch, or a producer's output.</summary>
        public string InputAt(int edge) => Plan.Inputs[edge].IsNetworkInput ? "Batch, 0" : Activation(Plan.Inputs[edge].Offset);

        public string Output => Activation(Plan.OutputOffset);

        /// <summary>The gradient of the loss with respect to this node's pre-activation output.</summary>
        public string OutputGradient => Gradient(Plan.OutputOffset);

        public string InputGradient => InputGradientAt(0);

        /// <summary>Where backward writes the gradient of the <paramref name="edge"/>th input (its own slot when the tensor has several readers).</summary>
        public string InputGradientAt(int edge) => Plan.Inputs[edge].IsNetworkInput ? InputGradientSlot(Plan.Inputs[edge].GradientOffset) : Gradient(Plan.Inputs[edge].GradientOffset);

        public bool NeedsInputGradient => NeedsInputGradientAt(0);

        /// <summary>
        /// Whether backward writes the <paramref name="edge"/>th input's gradient: for the network input only in
        /// the variant that computes dL/dinput, and never for a producer in the frozen prefix (it has no backward).
        /// </summary>
        public bool NeedsInputGradientAt(int edge) => Plan.Inputs[edge] is var input && (input.IsNetworkInput ? _inputGradients : input.Producer >= _context.Network.FrozenPrefix);

        /// <summary>
        /// The buffer backward writes the node's parameter gradients to: <c>Gradients</c>, or, for a node
        /// that adds to what another use of the same parameters wrote (<see cref="LayerPlan.AccumulatesParameterGradients"/>),
        /// <c>GradientScratch</c>, which <see cref="EmitParameterGradientSums"/> then adds into <c>Gradients</c>:
        /// the kernels overwrite their outputs, and BatchNorm's input gradient reads the node's own dγ, dβ back.
        /// </summary>
        public string ParameterGradients => Plan.AccumulatesParameterGradients ? "GradientScratch" : "Gradients";

        /// <summary>Where in <see cref="ParameterGradients"/> the gradient of the parameter named <c>{layer}.{suffix}</c> goes: its layout constant, or its place in the scratch.</summary>
        public string ParameterGradientOffset(string suffix)
        {
            if (!Plan.AccumulatesParameterGradients)
            {
                return _context.ParameterConstant(suffix)!;
            }

            var offset = 0;
            foreach (var tensor in Plan.Parameters.TakeWhile(p => !p.StateName.EndsWith("." + suffix)))
            {
                offset += tensor.Shape.Size;
            }

            return offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>For a node that accumulates, the launches adding its parameter gradients from the scratch into <c>Gradients</c>.</summary>
        public void EmitParameterGradientSums(SourceWriter writer)
        {
            if (!Plan.AccumulatesParameterGradients)
            {
                return;
            }

            writer.Line("// Shared parameters: add this use's gradients (in GradientScratch) to those the later uses wrote.");
            foreach (var tensor in Plan.Parameters)
            {
                writer.Line($"Launch(\"accumulate\", {tensor.Shape.Size}, /* g */ Gradients, Layout.{tensor.ConstantName}, /* addend */ GradientScratch, {ParameterGradientOffset(tensor.StateName.Substring(tensor.StateName.LastIndexOf('.') + 1))}, /* count */ {tensor.Shape.Size});");
            }
        }

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

        /// <summary>A place in the input-gradient buffer: dL/dinput at 0, then a slot per further reader of the input.</summary>
        public static string InputGradientSlot(int offset) => offset == 0 ? "InputGradientBuffer, 0" : $"InputGradientBuffer, batch * {offset}";

        /// <summary>A gradient of what <paramref name="producer"/> made: in the activation-gradient buffer, or the input-gradient buffer for the network input (-1).</summary>
        public static string GradientOf(int producer, int offset) => producer < 0 ? InputGradientSlot(offset) : Gradient(offset);
    }
}
