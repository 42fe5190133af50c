using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using NetGen.Checkpoints;
using NetGen.Data;
using NetGen.Import;
using NetGen.Metrics;
using NetGen.Optimizers;
using NetGen.Plots;
using NetGen.Samples;
using NetGen.Samples.DogsVsCatsTransfer;
using NetGen.Training;

var parsed = TransferOptions.Command(RunReportingBadInput).Parse(args);
var exitCode = parsed.Invoke();
return parsed.Errors.Count > 0 ? 2 : exitCode;

static int RunReportingBadInput(TransferOptions options)
{
    try
    {
        return Run(options);
    }
    catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException or DllNotFoundException or OnnxImportException or CheckpointException or DataLoaderException)
    {
        Console.Error.WriteLine($"error: {error.Message}");
        return 1;
    }
}

static int Run(TransferOptions options)
{
    var wall = Stopwatch.StartNew();
    var dataPath = options.DataPath ?? SampleOption.FindInSharedData(Path.Combine("dogs-vs-cats", "cats_and_dogs_filtered.zip"))
        ?? throw new FileNotFoundException("cats_and_dogs_filtered.zip was not found in ../shared/data/dogs-vs-cats beside the repository; pass --data PATH.");
    Directory.CreateDirectory(options.OutputDirectory);
    string OutputFile(string name) => Path.Combine(options.OutputDirectory, name);

    // One network: ResNet18.cs as `netgen import` wrote it, with its layers [Frozen] and a new head
    // (CatsVsDogsResNet.cs); the backbone's weights come from the .onnx, the head starts from its seed.
    var modelPath = options.ModelPath ?? ResNetModelFiles.ResNet18;
    var imported = OnnxImporter.Import(modelPath, nameof(ResNet18), typeof(ResNet18).Namespace!);
    SafetensorsWriter.Write(OutputFile("ResNet18.safetensors"), imported.Weights, imported.Metadata);
    var model = new CatsVsDogsResNet();
    string[] head = ["hidden", "classifier"];
    var loaded = Checkpoint.LoadPartial(OutputFile("ResNet18.safetensors"), model, name => !head.Contains(name[..name.IndexOf('.')]));

    var preprocessing = ResNetInput.Load(ResNetModelFiles.Preprocess);
    var train = ResNetImages.FromZip(dataPath, "train", preprocessing);
    var validation = ResNetImages.FromZip(dataPath, "validation", preprocessing);
    Console.WriteLine($"Dogs vs. cats from {dataPath}: {train.Count:N0} training and {validation.Count:N0} validation photos at 224×224, classes {string.Join(" / ", train.ClassNames)}");
    Console.WriteLine($"Backbone: {modelPath} (imported, {loaded.Count} tensors loaded, [Frozen]: inference mode, no gradients); {model.Gradients.Length:N0} trainable parameters in the head");

    var log = OutputFile("history.csv");
    var best = new ModelCheckpoint(OutputFile("best.safetensors"), Metric.ValidationAccuracy);
    var loader = new DataLoader(train, new DataLoaderOptions { BatchSize = options.BatchSize, Seed = options.Seed });
    var fitClock = Stopwatch.StartNew();
    var history = Trainer.Fit(model, new Adam(model, options.LearningRate), loader, validation, new TrainerOptions
    {
        Epochs = options.Epochs,
        CacheFrozenFeatures = options.CacheFeatures,
        ValidationBatchSize = options.BatchSize,
        Progress = ProgressMode.EpochsOnly,
        Callbacks = [best, new CsvLogger(log)],
    });
    var epochsSeconds = history.Epochs.Sum(e => e.Seconds);
    var fitSeconds = fitClock.Elapsed.TotalSeconds;
    Console.WriteLine(Invariant($"{(options.CacheFeatures ? "Feature cache" : "No feature cache")}: Fit took {fitSeconds:F1} s: {fitSeconds - epochsSeconds:F1} s before the first epoch (the backbone's features, when cached), {epochsSeconds:F1} s for {history.Epochs.Count} epochs; {fitSeconds / history.Epochs.Count:F2} s per epoch with the cache's share spread over the epochs"));
    TrainingCurves.WriteSvg(History.ReadCsv(log), OutputFile("curves.svg"));

    // Report on the best epoch, read back from its file (one more backbone pass over the validation photos).
    Checkpoint.Load(OutputFile("best.safetensors"), model);
    var result = model.Evaluate(validation, options.BatchSize);
    ConfusionMatrixPlot.WriteSvg(result.ConfusionMatrix, train.ClassNames, OutputFile("confusion.svg"));
    Console.WriteLine(Invariant($"\nValidation of the best epoch ({Checkpoint.ReadMetadata(OutputFile("best.safetensors"))["epoch"]}): accuracy {100 * result.ConfusionMatrix.Accuracy:F2}%"));
    Console.WriteLine(result.ConfusionMatrix.Render(train.ClassNames));
    Console.WriteLine(result.ClassificationReport(train.ClassNames));
    Console.WriteLine(Invariant($"Plots: {OutputFile("curves.svg")}, {OutputFile("confusion.svg")}; wall time {wall.Elapsed.TotalMinutes:F1} min"));
    return history.StopReason is null ? 0 : 1;
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
