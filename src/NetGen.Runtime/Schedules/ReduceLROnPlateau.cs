using System;
using NetGen.Optimizers;

namespace NetGen.Schedules;

/// <summary>
/// torch.optim.lr_scheduler.ReduceLROnPlateau: after more than <see cref="Patience"/> epochs without
/// improvement, multiplies the rate by <see cref="Factor"/> (not below <see cref="MinLearningRate"/>,
/// and only if it changes by more than <see cref="Epsilon"/>), then ignores
/// <see cref="Cooldown"/> epochs. Unlike the other schedules it depends on the metrics seen.
/// </summary>
public sealed class ReduceLROnPlateau
{
    /// <summary>Creates the schedule with PyTorch's defaults.</summary>
    public ReduceLROnPlateau(
        double initialLearningRate,
        PlateauMode mode = PlateauMode.Min,
        double factor = 0.1,
        int patience = 10,
        double threshold = 1e-4,
        ThresholdMode thresholdMode = ThresholdMode.Relative,
        int cooldown = 0,
        double minLearningRate = 0,
        double epsilon = 1e-8)
    {
        if (!double.IsFinite(initialLearningRate) || initialLearningRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(initialLearningRate), initialLearningRate, "The learning rate must be a finite number >= 0.");
        }

        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must lie in (0, 1): the rate is multiplied by it.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        if (!double.IsFinite(threshold) || threshold < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be a finite number >= 0.");
        }

        if (!double.IsFinite(minLearningRate) || minLearningRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "minLearningRate must be a finite number >= 0.");
        }

        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        ThresholdMode = thresholdMode;
        Cooldown = cooldown;
        MinLearningRate = minLearningRate;
        Epsilon = epsilon;
        State = new PlateauState(0, initialLearningRate, mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity, 0, 0);
    }

    /// <summary>Whether the metric should fall or rise.</summary>
    public PlateauMode Mode { get; }

    /// <summary>Multiplier applied on a plateau.</summary>
    public double Factor { get; }

    /// <summary>Epochs without improvement tolerated before reducing.</summary>
    public int Patience { get; }

    /// <summary>Minimum change that counts as an improvement.</summary>
    public double Threshold { get; }

    /// <summary>Whether <see cref="Threshold"/> is relative to the best value or absolute.</summary>
    public ThresholdMode ThresholdMode { get; }

    /// <summary>Epochs after a reduction during which bad epochs are not counted.</summary>
    public int Cooldown { get; }

    /// <summary>The rate never goes below this.</summary>
    public double MinLearningRate { get; }

    /// <summary>Reductions smaller than this are skipped.</summary>
    public double Epsilon { get; }

    /// <summary>The schedule's memory; see <see cref="Restore"/>.</summary>
    public PlateauState State { get; private set; }

    /// <summary>The learning rate to use for the next epoch.</summary>
    public double LearningRate => State.LearningRate;

    /// <summary>Resumes from a state saved from <see cref="State"/>.</summary>
    public void Restore(PlateauState state)
    {
        if (state.Epoch < 0 || state.BadEpochs < 0 || state.CooldownCounter < 0 || !double.IsFinite(state.LearningRate) || state.LearningRate < 0 || double.IsNaN(state.Best))
        {
            throw new ArgumentException($"Not a valid plateau state: {state}.", nameof(state));
        }

        State = state;
    }

    /// <summary>Records the end-of-epoch <paramref name="metric"/> and returns the learning rate for the next epoch.</summary>
    public double Step(double metric)
    {
        if (double.IsNaN(metric))
        {
            throw new ArgumentException("The metric is NaN; training has diverged, and a plateau cannot be judged on it.", nameof(metric));
        }

        var (epoch, learningRate, best, badEpochs, cooldownCounter) = State;
        epoch++;
        if (IsBetter(metric, best))
        {
            best = metric;
            badEpochs = 0;
        }
        else
        {
            badEpochs++;
        }

        if (cooldownCounter > 0)
        {
            cooldownCounter--;
            badEpochs = 0;
        }

        if (badEpochs > Patience)
        {
            var reduced = Math.Max(learningRate * Factor, MinLearningRate);
            if (learningRate - reduced > Epsilon)
            {
                learningRate = reduced;
            }

            cooldownCounter = Cooldown;
            badEpochs = 0;
        }

        State = new PlateauState(epoch, learningRate, best, badEpochs, cooldownCounter);
        return learningRate;
    }

    /// <summary>Records <paramref name="metric"/> and sets <paramref name="optimizer"/>'s learning rate for the next epoch.</summary>
    public void Step(double metric, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.LearningRate = (float)Step(metric);
    }

    private bool IsBetter(double metric, double best) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Relative) => metric < best * (1 - Threshold),
        (PlateauMode.Min, ThresholdMode.Absolute) => metric < best - Threshold,
        (PlateauMode.Max, ThresholdMode.Relative) => metric > best * (Threshold + 1),
        _ => metric > best + Threshold,
    };
}
