using System;

namespace NetGen.Schedules;

/// <summary>torch.optim.lr_scheduler.ExponentialLR: <c>lr = base · γ^epoch</c>.</summary>
public sealed class ExponentialLR : LearningRateSchedule
{
    /// <summary>Multiplies the rate by <paramref name="gamma"/> every epoch.</summary>
    public ExponentialLR(double baseLearningRate, double gamma)
        : base(baseLearningRate)
    {
        Gamma = PositiveFactor(gamma, nameof(gamma));
    }

    /// <summary>Factor applied each epoch.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    protected override double Compute(int epoch) => BaseLearningRate * Math.Pow(Gamma, epoch);
}
