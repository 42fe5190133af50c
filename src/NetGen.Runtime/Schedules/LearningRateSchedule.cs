using System;
using NetGen.Optimizers;

namespace NetGen.Schedules;

/// <summary>
/// A learning rate that depends only on the epoch, as PyTorch's closed-form schedulers. Being a pure
/// function of the epoch, a resumed run needs nothing saved but the epoch number.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Creates a schedule starting from <paramref name="baseLearningRate"/>.</summary>
    protected LearningRateSchedule(double baseLearningRate)
    {
        if (!double.IsFinite(baseLearningRate) || baseLearningRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(baseLearningRate), baseLearningRate, "The base learning rate must be a finite number >= 0.");
        }

        BaseLearningRate = baseLearningRate;
    }

    /// <summary>The learning rate at epoch 0 (PyTorch's <c>base_lrs</c>).</summary>
    public double BaseLearningRate { get; }

    /// <summary>The learning rate for 0-based <paramref name="epoch"/>.</summary>
    public double LearningRateAt(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        return Compute(epoch);
    }

    /// <summary>Sets <paramref name="optimizer"/>'s learning rate for <paramref name="epoch"/>.</summary>
    public void Apply(Optimizer optimizer, int epoch)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.LearningRate = (float)LearningRateAt(epoch);
    }

    /// <summary>The learning rate for a non-negative <paramref name="epoch"/>.</summary>
    protected abstract double Compute(int epoch);

    /// <summary>Checks a count of epochs is at least one, naming it when not.</summary>
    protected static int Positive(int value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");

    /// <summary>Checks a multiplicative factor is finite and positive, naming it when not.</summary>
    protected static double PositiveFactor(double value, string name) =>
        double.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0.");
}
