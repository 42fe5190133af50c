using System;

namespace NetGen.Schedules;

/// <summary>
/// Linear warm-up: for <c>epoch &lt; warmupEpochs</c>, <c>lr = base · (s + (1 − s)·epoch / warmupEpochs)</c>
/// (torch's LinearLR with <c>end_factor = 1</c>); afterwards the base rate, or the wrapped schedule
/// started afresh (torch's SequentialLR with one milestone at <c>warmupEpochs</c>).
/// </summary>
public sealed class LinearWarmup : LearningRateSchedule
{
    private readonly LearningRateSchedule? then;

    /// <summary>Warms up to <paramref name="baseLearningRate"/> and stays there.</summary>
    public LinearWarmup(double baseLearningRate, int warmupEpochs, double startFactor = 1.0 / 3)
        : base(baseLearningRate)
    {
        WarmupEpochs = Positive(warmupEpochs, nameof(warmupEpochs));
        StartFactor = CheckStartFactor(startFactor);
    }

    /// <summary>Warms up to <paramref name="then"/>'s base rate, then runs <paramref name="then"/> from its epoch 0.</summary>
    public LinearWarmup(LearningRateSchedule then, int warmupEpochs, double startFactor = 1.0 / 3)
        : this(Required(then).BaseLearningRate, warmupEpochs, startFactor)
    {
        this.then = then;
    }

    /// <summary>Epochs spent warming up.</summary>
    public int WarmupEpochs { get; }

    /// <summary>Fraction of the base rate used at epoch 0.</summary>
    public double StartFactor { get; }

    /// <inheritdoc/>
    protected override double Compute(int epoch)
    {
        if (epoch < WarmupEpochs)
        {
            return BaseLearningRate * (StartFactor + ((1 - StartFactor) * epoch / WarmupEpochs));
        }

        return then?.LearningRateAt(epoch - WarmupEpochs) ?? BaseLearningRate;
    }

    private static LearningRateSchedule Required(LearningRateSchedule then)
    {
        ArgumentNullException.ThrowIfNull(then);
        return then;
    }

    private static double CheckStartFactor(double startFactor) =>
        startFactor > 0 && startFactor <= 1 ? startFactor : throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "startFactor must lie in (0, 1].");
}
