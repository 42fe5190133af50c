using static NetGen.Generator.Emit.GpuRecurrentKernels;

namespace NetGen.Generator.Layers;

/// <summary>
/// LSTM (see <see cref="RecurrentLayer"/>): gates <c>i, f, g, o</c> in PyTorch's order; per step
/// <c>c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g)</c>, <c>h_t = σ(o) ⊙ tanh(c_t)</c>. Numerics: the runtime's <c>NetGen.LSTM</c>;
/// on the device the step kernels below.
/// </summary>
internal sealed class LSTMLayer : RecurrentLayer
{
    public override string AttributeMetadataName => "NetGen.LSTMAttribute";

    public override string RuntimeType => "NetGen.LSTM";

    protected override string Carried => "dh, dc";

    protected override int Gates => 4;

    // Gates, cell and hidden states of every step, and one step's scratch: NetGen.LSTM.SavedPerSample.
    protected override int SavedPerSample(int steps, int hidden) => checked((6 * steps * hidden) + (6 * hidden));

    protected override (string Gates, string State) Formula(RecurrentSpec spec, int features) => (
        $"z_t[*, {4 * spec.Hidden}] = x_t · {spec.TensorName("weight_ih")}[{4 * spec.Hidden}, {features}]ᵀ + {spec.TensorName("bias_ih")} + h_{{t−1}} · {spec.TensorName("weight_hh")}[{4 * spec.Hidden}, {spec.Hidden}]ᵀ + {spec.TensorName("bias_hh")}, gates i, f, g, o;",
        "c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g), h_t = σ(o) ⊙ tanh(c_t)");

    protected override string DeviceName(RecurrentSpec spec) => "lstm";

    protected override bool SecondState => true;

    protected override bool CarriesSecond => true;

    // The activated gates are saved for backward; c is the cell state.
    protected override string DeviceForward(RecurrentSpec spec) => $"""
        float input = {Sigmoid(PreActivation(0))}, forget = {Sigmoid(PreActivation(1))};
        float cell = TANH({PreActivation(2)}), output = {Sigmoid(PreActivation(3))};
        gate[0] = input; gate[hidden] = forget; gate[2 * hidden] = cell; gate[3 * hidden] = output;
        c = forget * cPrevious + input * cell;
        h = output * TANH(c);
        """;

    // do = dh·tanh(c)·o(1 − o); dc = carried + dh·o·(1 − tanh²c); di = dc·g·i(1 − i), df = dc·c_{t−1}·f(1 − f),
    // dg = dc·i·(1 − g²); both sides of the gates get the same gradients, and dc·f is carried to t − 1.
    protected override string DeviceBackward(RecurrentSpec spec) => """
        float input = gate[0], forget = gate[hidden], cell = gate[2 * hidden], output = gate[3 * hidden];
        float tanhC = TANH(c);
        dc += dh * output * (1.0f - tanhC * tanhC);
        gate[0] = recurrent[0] = dc * cell * input * (1.0f - input);
        gate[hidden] = recurrent[hidden] = dc * cPrevious * forget * (1.0f - forget);
        gate[2 * hidden] = recurrent[2 * hidden] = dc * input * (1.0f - cell * cell);
        gate[3 * hidden] = recurrent[3 * hidden] = dh * tanhC * output * (1.0f - output);
        dc *= forget;
        carried = 0.0f;
        (void)h; (void)hPrevious;
        """;
}
