using System.Collections.Generic;

namespace NetGen.Training;

/// <summary>The record of a <see cref="Trainer.Fit"/> run: one <see cref="EpochMetrics"/> per epoch run, and why it stopped early, if it did.</summary>
public sealed class History
{
    private readonly List<EpochMetrics> epochs = new();

    /// <summary>The epochs run, in order.</summary>
    public IReadOnlyList<EpochMetrics> Epochs => epochs;

    /// <summary>Why training ended before the last epoch (a callback's message), or null when it ran them all.</summary>
    public string? StopReason { get; internal set; }

    /// <summary>Whether any epoch has validation results.</summary>
    public bool HasValidation => epochs.Exists(e => e.ValidationLoss is not null);

    internal void Add(EpochMetrics metrics) => epochs.Add(metrics);
}
