using System;

namespace NetGen.Schedules;

/// <summary>
/// torch.optim.lr_scheduler.CosineAnnealingLR:
/// <c>lr = min + (base − min)·(1 + cos(π·epoch / maxEpochs)) / 2</c>. Past <c>maxEpochs</c> the
/// cosine keeps going (rising again), as PyTorch's does.
/// </summary>
public sealed class CosineAnnealingLR : LearningRateSchedule
{
    /// <summary>Anneals from the base rate to <paramref name="minLearningRate"/> over <paramref name="maxEpochs"/> epochs.</summary>
    public CosineAnnealingLR(double baseLearningRate, int maxEpochs, double minLearningRate = 0)
        : base(baseLearningRate)
    {
        MaxEpochs = Positive(maxEpochs, nameof(maxEpochs));
        if (!double.IsFinite(minLearningRate) || minLearningRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "minLearningRate must be a finite number >= 0.");
        }

        MinLearningRate = minLearningRate;
    }

    /// <summary>Half period of the cosine (PyTorch's <c>T_max</c>).</summary>
    public int MaxEpochs { get; }

    /// <summary>The rate reached at <see cref="MaxEpochs"/> (PyTorch's <c>eta_min</c>).</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc/>
    protected override double Compute(int epoch) =>
        MinLearningRate + ((BaseLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * epoch / MaxEpochs)) / 2);
}
