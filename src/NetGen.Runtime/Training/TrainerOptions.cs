using System.Collections.Generic;
using System.IO;

namespace NetGen.Training;

/// <summary>How <see cref="Trainer.Fit"/> runs.</summary>
public sealed record TrainerOptions
{
    /// <summary>Train until this many epochs have run in total (epochs are numbered from 0).</summary>
    public required int Epochs { get; init; }

    /// <summary>
    /// The first epoch to run; set it to the epochs already done when resuming from a checkpoint,
    /// so the loader's shuffle and the schedules continue where they left off.
    /// </summary>
    public int InitialEpoch { get; init; }

    /// <summary>Samples per validation batch.</summary>
    public int ValidationBatchSize { get; init; } = 256;

    /// <summary>Callbacks, run in this order.</summary>
    public IReadOnlyList<ICallback> Callbacks { get; init; } = [];

    /// <summary>Where progress goes; null for the console.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>How progress is shown.</summary>
    public ProgressMode Progress { get; init; } = ProgressMode.Auto;
}
