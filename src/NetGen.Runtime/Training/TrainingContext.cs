using System.Collections.Generic;
using System.IO;
using NetGen.Optimizers;

namespace NetGen.Training;

/// <summary>The state of a <c>Trainer.Fit</c> run that callbacks read and act on.</summary>
public sealed class TrainingContext
{
    internal TrainingContext(INetwork model, Optimizer optimizer, History history, TextWriter log, IReadOnlyList<string>? metricNames = null)
    {
        Model = model;
        Optimizer = optimizer;
        History = history;
        Log = log;
        MetricNames = metricNames ?? [];
    }

    /// <summary>
    /// This process's rank in a data-parallel run (<see cref="TrainerOptions.Communicator"/>), 0 when
    /// training alone. Callbacks write files only on rank 0, which holds the same model as the others.
    /// </summary>
    public int Rank { get; internal init; }

    /// <summary>The names of the <see cref="EpochMetrics.Metrics"/> each epoch with validation records (<c>val_f1</c>, ...), in order.</summary>
    public IReadOnlyList<string> MetricNames { get; }

    /// <summary>The network being trained.</summary>
    public INetwork Model { get; }

    /// <summary>Its optimizer; schedules set its learning rate.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The epochs finished so far.</summary>
    public History History { get; }

    /// <summary>Where the trainer writes progress; callbacks write their messages here too.</summary>
    public TextWriter Log { get; }

    /// <summary>The number of the epoch running now, counted from 1 as progress and <see cref="EpochMetrics.Epoch"/> count it.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Set by a callback that returns <see cref="CallbackAction.Stop"/>, saying why; ends up in <see cref="History.StopReason"/>.</summary>
    public string? StopReason { get; set; }
}
