using System.Collections.Generic;
using System.IO;
using NetGen.Distributed;
using NetGen.Metrics;

namespace NetGen.Training;

/// <summary>How <c>Trainer.Fit</c> runs.</summary>
public sealed record TrainerOptions
{
    /// <summary>Train until this many epochs have run in total (epochs are numbered from 1, so the last is number <c>Epochs</c>).</summary>
    public required int Epochs { get; init; }

    /// <summary>
    /// The epochs already done: set it when resuming from a checkpoint (its <c>epoch</c> metadata),
    /// so the run starts with epoch <c>InitialEpoch + 1</c> and the loader's shuffle and the
    /// schedules continue where they left off.
    /// </summary>
    public int InitialEpoch { get; init; }

    /// <summary>Samples per validation batch.</summary>
    public int ValidationBatchSize { get; init; } = 256;

    /// <summary>
    /// Metrics measured on the validation data after each epoch besides loss and accuracy, stored in
    /// <see cref="EpochMetrics.Metrics"/> as <c>val_</c> + their name (<c>val_f1</c>), shown in the
    /// progress summary, logged by <see cref="CsvLogger"/> and monitorable by callbacks.
    /// </summary>
    public IReadOnlyList<EvaluationMetric> Metrics { get; init; } = [];

    /// <summary>Callbacks, run in this order.</summary>
    public IReadOnlyList<ICallback> Callbacks { get; init; } = [];

    /// <summary>Where progress goes; null for the console.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>
    /// The processes training this model together (data parallelism, <c>docs/distributed.md</c>), or null
    /// to train alone. Every rank then starts from rank 0's parameters, optimizer state and step count,
    /// trains on its shard of each global batch (the loader's <see cref="Data.DataLoaderOptions.ShardIndex"/>
    /// must be the rank), and applies the same averaged gradient; the losses and accuracies reported are
    /// over all ranks, validation runs on rank 0 and its results are shared, and only rank 0 prints
    /// and lets callbacks write files (<see cref="TrainingContext.Rank"/>).
    /// </summary>
    public ICommunicator? Communicator { get; init; }

    /// <summary>
    /// With a <see cref="Communicator"/>: the size of the gradient buckets whose all-reduce starts while
    /// backward still runs on the earlier layers (as PyTorch DDP's <c>bucket_cap_mb</c>). The flat gradient
    /// buffer is cut from its end into buckets of this many bytes; a bucket is summed over the ranks as
    /// soon as backward has finished all of it. Smaller buckets start sooner but cost one collective
    /// each. The default, 25 MiB, is DDP's; it holds the whole gradient of every sample network (the
    /// Chollet convnet's is 13.8 MB), so they make one all-reduce at the end of backward, which is what
    /// pays on one machine (<c>docs/distributed.md</c>, 'Overlap'); lower it on a network link.
    /// </summary>
    public int AllReduceBucketBytes { get; init; } = DefaultAllReduceBucketBytes;

    /// <summary>The default <see cref="AllReduceBucketBytes"/>: 25 MiB, PyTorch DDP's <c>bucket_cap_mb</c>.</summary>
    public const int DefaultAllReduceBucketBytes = 25 << 20;

    /// <summary>
    /// Computes the frozen prefix's features of every training and validation sample once, before the first
    /// epoch, and trains the head on them (Chollet's fast feature extraction): the network must be an
    /// <see cref="IFrozenFeatureNetwork"/> (layers before the head <c>[Frozen]</c>) and the datasets must not
    /// augment. The same parameters result as without the cache, for the cost of one backbone pass instead of
    /// one per epoch; the features take (training + validation samples) × <see cref="IFrozenFeatureNetwork.FrozenFeatureSize"/>
    /// floats, which Fit prints before computing them.
    /// </summary>
    public bool CacheFrozenFeatures { get; init; }

    /// <summary>How progress is shown.</summary>
    public ProgressMode Progress { get; init; } = ProgressMode.Auto;
}
