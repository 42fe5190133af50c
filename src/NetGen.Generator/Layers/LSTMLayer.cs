namespace NetGen.Generator.Layers;

/// <summary>
/// LSTM (see <see cref="RecurrentLayer"/>): gates <c>i, f, g, o</c> in PyTorch's order; per step
/// <c>c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g)</c>, <c>h_t = σ(o) ⊙ tanh(c_t)</c>. Numerics: the runtime's <c>NetGen.LSTM</c>.
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
}
