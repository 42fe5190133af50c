using System;

namespace NetGen.Gpu;

/// <summary>
/// Settings of an optimizer that updates parameters on the device with the gradients already
/// there (same formulas as <c>NetGen.Optimizers.Sgd</c> and <c>Adam</c>, PyTorch's definitions).
/// Its state lives on the device with the network.
/// </summary>
public abstract record GpuOptimizer
{
    private protected GpuOptimizer(float learningRate)
    {
        if (!(learningRate > 0) || float.IsInfinity(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be a positive finite number.");
        }

        LearningRate = learningRate;
    }

    /// <summary>The step size.</summary>
    public float LearningRate { get; init; }

    private protected static double NonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, "Must be a finite number ≥ 0.");

    private protected static double DecayRate(double value, string name) =>
        value >= 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(name, value, "Must lie in [0, 1).");
}

/// <summary>Stochastic gradient descent with optional momentum, dampening, Nesterov and L2 weight decay (PyTorch's <c>torch.optim.SGD</c>).</summary>
public sealed record GpuSgd : GpuOptimizer
{
    /// <summary>Creates the settings; they are checked as <c>NetGen.Optimizers.Sgd</c> checks them.</summary>
    public GpuSgd(float learningRate, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
        : base(learningRate)
    {
        Momentum = NonNegative(momentum, nameof(momentum));
        Dampening = NonNegative(dampening, nameof(dampening));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires momentum > 0 and dampening = 0 (as in PyTorch).", nameof(nesterov));
        }

        Nesterov = nesterov;
    }

    /// <summary>Momentum factor (0: plain SGD).</summary>
    public double Momentum { get; }

    /// <summary>Dampening of the gradient's share in the momentum buffer.</summary>
    public double Dampening { get; }

    /// <summary>Whether the Nesterov form of momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }
}

/// <summary>Adam with L2 weight decay (PyTorch's <c>torch.optim.Adam</c>).</summary>
public sealed record GpuAdam : GpuOptimizer
{
    /// <summary>Creates the settings; they are checked as <c>NetGen.Optimizers.Adam</c> checks them.</summary>
    public GpuAdam(float learningRate = 1e-3f, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : base(learningRate)
    {
        Beta1 = DecayRate(beta1, nameof(beta1));
        Beta2 = DecayRate(beta2, nameof(beta2));
        Epsilon = NonNegative(epsilon, nameof(epsilon));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
    }

    /// <summary>Decay of the first-moment average.</summary>
    public double Beta1 { get; }

    /// <summary>Decay of the second-moment average.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator for stability.</summary>
    public double Epsilon { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }
}
