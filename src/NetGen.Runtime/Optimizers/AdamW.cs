using System;
using NetGen.Gpu;

namespace NetGen.Optimizers;

/// <summary>
/// AdamW as torch.optim.AdamW (amsgrad off): first <c>p = p·(1 − lr·wd)</c> (decoupled decay), then Adam without L2: <c>m = β₁·m + (1 − β₁)·g</c>,
/// <c>v = β₂·v + (1 − β₂)·g²</c>, <c>p = p − (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε)</c>.
/// </summary>
public sealed class AdamW : Optimizer, IDeviceUpdate
{
    private readonly float[] expAvg;
    private readonly float[] expAvgSq;

    /// <summary>Creates AdamW for <paramref name="parameterCount"/> parameters, with PyTorch's defaults.</summary>
    public AdamW(int parameterCount, float learningRate = 1e-3f, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 1e-2)
        : base(parameterCount, learningRate)
    {
        Beta1 = DecayRate(beta1, nameof(beta1));
        Beta2 = DecayRate(beta2, nameof(beta2));
        Epsilon = NonNegative(epsilon, nameof(epsilon));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        expAvg = AddState("exp_avg");
        expAvgSq = AddState("exp_avg_sq");
    }

    /// <summary>Creates AdamW for all parameters of <paramref name="network"/>.</summary>
    public AdamW(INetwork network, float learningRate = 1e-3f, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 1e-2)
        : this(CountOf(network), learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <summary>Decay of the first-moment average.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the second-moment average.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Epsilon { get; }

    /// <summary>Decoupled weight decay: each step shrinks the parameters by <c>lr·wd</c> before the Adam update.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    string IDeviceUpdate.Kernel => AdamUpdate.DeviceKernelName;

    /// <inheritdoc/>
    int IDeviceUpdate.WriteArguments(GpuBuffer parameters, GpuBuffer gradients, ReadOnlySpan<GpuBuffer> state, ParameterRange range, Span<GpuArg> arguments) =>
        AdamUpdate.WriteArguments(Scalars(), parameters, gradients, state, range, arguments);

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset) =>
        AdamUpdate.Run(parameters, gradients, expAvg.AsSpan(offset, parameters.Length), expAvgSq.AsSpan(offset, parameters.Length), Scalars());

    private AdamUpdate.Scalars Scalars() =>
        AdamUpdate.For(StepCount, LearningRate, Beta1, Beta2, Epsilon, l2WeightDecay: 0, decoupledWeightDecay: WeightDecay);
}
