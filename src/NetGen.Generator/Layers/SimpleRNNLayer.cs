using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// SimpleRNN (see <see cref="RecurrentLayer"/>), PyTorch's <c>nn.RNN</c>: one gate,
/// <c>h_t = act(x_t·W_ihᵀ + b_ih + h_{t−1}·W_hhᵀ + b_hh)</c> with act Tanh (the default) or ReLU, the two
/// nonlinearities PyTorch offers. Numerics: the runtime's <c>NetGen.SimpleRNN</c>; on the device the step kernels below.
/// </summary>
internal sealed class SimpleRNNLayer : RecurrentLayer
{
    public override string AttributeMetadataName => "NetGen.SimpleRNNAttribute";

    public override string RuntimeType => "NetGen.SimpleRNN";

    protected override string Carried => "dh";

    protected override int Gates => 1;

    // Projection and hidden state of every step, and one step's scratch: NetGen.SimpleRNN.SavedPerSample.
    protected override int SavedPerSample(int steps, int hidden) => checked((2 * steps * hidden) + (2 * hidden));

    protected override (string Gates, string State) Formula(RecurrentSpec spec, int features) => (
        $"h_t[*, {spec.Hidden}] = {spec.Nonlinearity}(x_t · {spec.TensorName("weight_ih")}[{spec.Hidden}, {features}]ᵀ + {spec.TensorName("bias_ih")} + h_{{t−1}} · {spec.TensorName("weight_hh")}[{spec.Hidden}, {spec.Hidden}]ᵀ + {spec.TensorName("bias_hh")})",
        "one gate, no cell state");

    protected override RecurrentSpec? BindCell(RecurrentSpec spec, LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics)
    {
        var value = arguments.Int("activation", (int)ActivationKind.Tanh);
        if (value != (int)ActivationKind.Tanh && value != (int)ActivationKind.ReLU)
        {
            var named = ActivationTable.TryRead(value, out var activation) ? activation.ToString() : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.LocationOf("activation"), declaration.PropertyName, $"SimpleRNN activation must be Tanh or ReLU (PyTorch's nn.RNN nonlinearities), got {named}"));
            return null;
        }

        return spec with { Nonlinearity = (ActivationKind)value };
    }

    protected override string CellArguments(RecurrentSpec spec) => $", activation: {ActivationTable.Of(spec.Nonlinearity).Literal}";

    protected override string DeviceName(RecurrentSpec spec) => "rnn_" + ActivationTable.Of(spec.Nonlinearity).KernelSuffix;

    protected override bool SecondState => false;

    protected override bool CarriesSecond => false;

    // The projection (with b_ih) stays in the saved gates, as on the CPU; h is the activation's output.
    protected override string DeviceForward(RecurrentSpec spec) => $"""
        float z = {PreActivation(0)};
        h = {GpuKernelRenderer.Value(spec.Nonlinearity)};
        """;

    // dz = dh · act′, read from the output s = h as the activation kernels read theirs (in a block: s is the step outside it).
    protected override string DeviceBackward(RecurrentSpec spec) => $$"""
        {
            float s = h;
            gate[0] = recurrent[0] = dh * ({{ActivationTable.Of(spec.Nonlinearity).DeviceDerivative}});
        }
        carried = 0.0f;
        (void)hPrevious;
        """;
}
