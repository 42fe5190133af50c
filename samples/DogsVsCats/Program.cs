using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen;
using NetGen.Checkpoints;
using NetGen.Data;
using NetGen.Data.Images;
using NetGen.Metrics;
using NetGen.Optimizers;
using NetGen.Plots;
using NetGen.Samples;
using NetGen.Samples.DogsVsCats;
using NetGen.Training;

var parsed = SampleOptions.Command(RunReportingBadInput).Parse(args);
var exitCode = parsed.Invoke();
// 2 for a bad command line (the errors and the usage are printed), as before System.CommandLine.
return parsed.Errors.Count > 0 ? 2 : exitCode;

static int RunReportingBadInput(SampleOptions options)
{
    try
    {
        return Run(options);
    }
    catch (Exception error) when (BadInput(error) is { } cause)
    {
        Console.Error.WriteLine($"error: {cause.Message}");
        return 1;
    }
}

static int Run(SampleOptions options)
{
    var dataPath = options.DataPath ?? SampleOption.FindInSharedData(Path.Combine("dogs-vs-cats", "cats_and_dogs_filtered.zip"))
        ?? throw new FileNotFoundException("cats_and_dogs_filtered.zip was not found in ../shared/data/dogs-vs-cats beside the repository; pass --data PATH.");
    var policy = options.SkipBadImages ? BadImagePolicy.SkipWithWarning : BadImagePolicy.Throw;
    var data = DogsVsCatsData.Open(dataPath, options.Limit, policy, Console.Error);
    Directory.CreateDirectory(options.OutputDirectory);
    var files = new RunFiles(options.OutputDirectory);

    var model = new CholletConvNet();
    Optimizer optimizer = options.Optimizer == "adam"
        ? new Adam(model, options.EffectiveLearningRate)
        : new RmsProp(model, options.EffectiveLearningRate, alpha: 0.9, epsilon: 1e-7);
    var loaderOptions = new DataLoaderOptions { BatchSize = options.BatchSize, Seed = options.Seed };
    var loader = new DataLoader(data.Train, options.Workers is { } workers ? loaderOptions with { Workers = workers } : loaderOptions);
    if (options.MeasurePipeline)
    {
        Console.WriteLine(Invariant($"Dogs vs. cats from {data.Source}: batch {options.BatchSize}, loader workers {loader.Options.Workers}, cores {Environment.ProcessorCount}"));
        Console.WriteLine(PipelineFigures.Measure(model, optimizer, loader).Render());
        return 0;
    }

    var (epochsDone, bestAccuracy) = options.Resume ? files.Resume(model, optimizer) : (0, null);
    if (epochsDone >= options.Epochs)
    {
        Console.Error.WriteLine($"error: '{files.Last}' already holds {epochsDone} epochs; pass --epochs above {epochsDone} to train further.");
        return 2;
    }

    // The best epoch (kept across --resume: only a better one replaces it), the last epoch for
    // --resume, and the per-epoch log the curves are drawn from.
    var best = new ModelCheckpoint(files.Best, Metric.ValidationAccuracy, initialValueThreshold: bestAccuracy);
    var last = new ModelCheckpoint(files.Last, Metric.ValidationAccuracy, saveBestOnly: false);
    using var stopOnSignal = new StopOnSignal();

    Console.WriteLine($"Dogs vs. cats from {data.Source}: {data.Train.Count:N0} training and {data.Validation.Count:N0} validation images, classes {string.Join(" / ", data.ClassNames)}");
    Console.WriteLine(model.Summary());
    Console.WriteLine(Invariant($"optimizer {options.Optimizer}, lr {options.EffectiveLearningRate:G}, batch {options.BatchSize}, epochs {options.Epochs}, loader workers {loader.Options.Workers}, cores {Environment.ProcessorCount}"));
    if (options.Resume)
    {
        Console.WriteLine(Invariant($"resuming after epoch {epochsDone} from {files.Last} (best validation accuracy so far {bestAccuracy?.ToString("P2", CultureInfo.InvariantCulture) ?? "none"})"));
    }

    // Validation batches as large as training ones: this network's activations take ~6 MB per sample.
    var history = Trainer.Fit(model, optimizer, loader, data.Validation, new TrainerOptions
    {
        InitialEpoch = epochsDone,
        Epochs = options.Epochs,
        ValidationBatchSize = options.BatchSize,
        // Ctrl+C (or SIGTERM) ends a long run early but still writes the plots and the report below.
        Callbacks = [best, last, new CsvLogger(files.Log, append: options.Resume), new TerminateOnNaN(), stopOnSignal],
    });

    // The log holds every epoch, those of earlier runs this one resumed included.
    TrainingCurves.WriteSvg(History.ReadCsv(files.Log), files.Curves);
    var epochs = history.Epochs;
    if (epochs.Count > 0)
    {
        var seconds = epochs.Average(e => e.Seconds);
        Console.WriteLine(Invariant($"{seconds:F1} s per epoch on average ({data.Train.Count / seconds:F1} training images/s, validation included), {epochs.Sum(e => e.Seconds) / 60:F1} min in all"));
    }

    if (!File.Exists(files.Best))
    {
        Console.Error.WriteLine($"error: no epoch finished with a validation accuracy, so no checkpoint was saved ({history.StopReason}).");
        return 1;
    }

    // Report on the saved best epoch, read back from its file, rather than on the last epoch's parameters.
    Checkpoint.Load(files.Best, model);
    var matrix = Evaluation.ConfusionMatrixOf(model, data.Validation, options.BatchSize);
    ConfusionMatrixPlot.WriteSvg(matrix, data.ClassNames, files.Confusion);
    Console.WriteLine(Invariant($"\nValidation of the best epoch ({RunFiles.SavedEpoch(files.Best)}, saved to {files.Best}): accuracy {100 * matrix.Accuracy:F2}%"));
    Console.WriteLine(matrix.Render(data.ClassNames));
    Console.WriteLine(ClassificationReport.Render(matrix, data.ClassNames));
    Console.WriteLine($"Plots: {files.Curves}, {files.Confusion}");
    // 130 is the shell's code for a run ended by Ctrl+C; any other stop (a NaN loss) is a failure.
    return stopOnSignal.Received is not null ? 130 : history.StopReason is null ? 0 : 1;
}

// The exception to report in one line when the failure is the input's fault (missing or malformed
// data, an undecodable image, a missing libturbojpeg, an unwritable output folder); null otherwise.
static Exception? BadInput(Exception error) => error switch
{
    DataLoaderException { InnerException: { } inner } => BadInput(inner),
    IOException or InvalidDataException or UnauthorizedAccessException or DllNotFoundException => error,
    _ => null,
};

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
