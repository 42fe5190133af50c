using System;

namespace NetGen.Schedules;

/// <summary>torch.optim.lr_scheduler.StepLR: <c>lr = base · γ^⌊epoch / stepSize⌋</c>.</summary>
public sealed class StepLR : LearningRateSchedule
{
    /// <summary>Multiplies the rate by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
    public StepLR(double baseLearningRate, int stepSize, double gamma = 0.1)
        : base(baseLearningRate)
    {
        StepSize = Positive(stepSize, nameof(stepSize));
        Gamma = PositiveFactor(gamma, nameof(gamma));
    }

    /// <summary>Epochs between decays.</summary>
    public int StepSize { get; }

    /// <summary>Factor applied at each decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    protected override double Compute(int epoch) => BaseLearningRate * Math.Pow(Gamma, epoch / StepSize);
}
