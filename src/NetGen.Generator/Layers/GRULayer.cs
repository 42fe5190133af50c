using static NetGen.Generator.Emit.GpuRecurrentKernels;

namespace NetGen.Generator.Layers;

/// <summary>
/// GRU (see <see cref="RecurrentLayer"/>): gates <c>r, z, n</c> in PyTorch's order, the reset gate
/// applied to the recurrent candidate term with its bias as PyTorch does; per step
/// <c>n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn))</c>, <c>h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}</c>. Numerics:
/// the runtime's <c>NetGen.GRU</c>; on the device the step kernels below.
/// </summary>
internal sealed class GRULayer : RecurrentLayer
{
    public override string AttributeMetadataName => "NetGen.GRUAttribute";

    public override string RuntimeType => "NetGen.GRU";

    protected override string Carried => "dh";

    protected override int Gates => 3;

    // Gates, the candidate's recurrent term and hidden states of every step, and one step's scratch: NetGen.GRU.SavedPerSample.
    protected override int SavedPerSample(int steps, int hidden) => checked((5 * steps * hidden) + (4 * hidden));

    protected override (string Gates, string State) Formula(RecurrentSpec spec, int features) => (
        $"a_t[*, {3 * spec.Hidden}] = x_t · {spec.TensorName("weight_ih")}[{3 * spec.Hidden}, {features}]ᵀ + {spec.TensorName("bias_ih")}, b_t = h_{{t−1}} · {spec.TensorName("weight_hh")}[{3 * spec.Hidden}, {spec.Hidden}]ᵀ + {spec.TensorName("bias_hh")}, gates r, z, n;",
        "r = σ(a_r + b_r), z = σ(a_z + b_z), n = tanh(a_n + r ⊙ b_n), h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}");

    protected override string DeviceName(RecurrentSpec spec) => "gru";

    protected override bool SecondState => true;

    protected override bool CarriesSecond => false;

    // r, z and n are saved for backward; the second state c is the candidate's recurrent term W_hn·h_{t−1} + b_hn.
    protected override string DeviceForward(RecurrentSpec spec) => $"""
        float reset = {Sigmoid(PreActivation(0))}, update = {Sigmoid(PreActivation(1))};
        c = (first ? 0.0f : recurrent[2 * hidden]) + biasHh[2 * hidden];
        float candidate = TANH(gate[2 * hidden] + biasIh[2 * hidden] + reset * c);
        gate[0] = reset; gate[hidden] = update; gate[2 * hidden] = candidate;
        h = first ? candidate - update * candidate : update * (hPrevious - candidate) + candidate;
        """;

    // dn = dh·(1 − z) → a = dn·(1 − n²); dz = dh·(h_{t−1} − n)·z(1 − z); dr = a·c·r(1 − r). Input side [dr, dz, a],
    // recurrent side [dr, dz, a·r]; dh·z bypasses W_hh.
    protected override string DeviceBackward(RecurrentSpec spec) => """
        float reset = gate[0], update = gate[hidden], candidate = gate[2 * hidden];
        float a = dh * (1.0f - update) * (1.0f - candidate * candidate);
        gate[0] = recurrent[0] = a * c * reset * (1.0f - reset);
        gate[hidden] = recurrent[hidden] = dh * (hPrevious - candidate) * update * (1.0f - update);
        gate[2 * hidden] = a;
        recurrent[2 * hidden] = a * reset;
        carried = dh * update;
        (void)h; (void)cPrevious;
        """;
}
