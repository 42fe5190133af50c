namespace NetGen.Generator.Layers;

/// <summary>
/// GRU (see <see cref="RecurrentLayer"/>): gates <c>r, z, n</c> in PyTorch's order, the reset gate
/// applied to the recurrent candidate term with its bias as PyTorch does; per step
/// <c>n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn))</c>, <c>h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}</c>. Numerics:
/// the runtime's <c>NetGen.GRU</c>.
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
}
