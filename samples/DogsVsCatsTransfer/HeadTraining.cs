using System;
using System.Globalization;
using NetGen.Data;
using NetGen.Optimizers;
using NetGen.Training;

namespace NetGen.Samples.DogsVsCatsTransfer;

/// <summary>
/// Trains the head on the frozen backbone's features, computed once (the feature cache) or again in
/// every epoch (what training the whole network with a frozen backbone costs), and says how long the
/// backbone took.
/// </summary>
internal sealed record HeadTraining(
    INetwork Backbone,
    INetwork Head,
    Optimizer Optimizer,
    IDataset Train,
    IDataset Validation,
    DataLoaderOptions LoaderOptions,
    int Epochs,
    ModelCheckpoint Best,
    string Log)
{
    private int BatchSize => LoaderOptions.BatchSize;

    /// <summary>Chollet's fast feature extraction: the backbone sees each photo once.</summary>
    public (BackboneFeatures Validation, History History, double BackboneSeconds) OnCachedFeatures()
    {
        var train = BackboneFeatures.Compute(Backbone, Train, BatchSize);
        var validation = BackboneFeatures.Compute(Backbone, Validation, BatchSize);
        var seconds = train.Elapsed.TotalSeconds + validation.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Features of {Train.Count + Validation.Count:N0} photos computed once in {seconds:F1} s ({(Train.Count + Validation.Count) / seconds:F1} photos/s)"));
        return (validation, Trainer.Fit(Head, Optimizer, new DataLoader(train, LoaderOptions), validation, Options(0, Epochs)), seconds);
    }

    /// <summary>The backbone runs over every training and validation photo in every epoch.</summary>
    public (BackboneFeatures Validation, History History, double BackboneSeconds) RecomputingFeatures()
    {
        var seconds = 0.0;
        for (var epoch = 1; ; epoch++)
        {
            var train = BackboneFeatures.Compute(Backbone, Train, BatchSize);
            var validation = BackboneFeatures.Compute(Backbone, Validation, BatchSize);
            seconds += train.Elapsed.TotalSeconds + validation.Elapsed.TotalSeconds;
            var history = Trainer.Fit(Head, Optimizer, new DataLoader(train, LoaderOptions), validation, Options(epoch - 1, epoch));
            if (epoch == Epochs || history.StopReason is not null)
            {
                return (validation, history, seconds);
            }
        }
    }

    // Epochs (initial, last] of one run; the log is started by the first epoch and appended to by the others.
    private TrainerOptions Options(int initialEpoch, int epochs) => new()
    {
        InitialEpoch = initialEpoch,
        Epochs = epochs,
        Progress = ProgressMode.EpochsOnly,
        Callbacks = [Best, new CsvLogger(Log, append: initialEpoch > 0)],
    };
}
