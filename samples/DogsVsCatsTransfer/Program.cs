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

    // The backbone: ResNet18.cs is what `netgen import` wrote for this model; its weights come from the .onnx.
    var modelPath = options.ModelPath ?? ResNetModelFiles.ResNet18;
    var imported = OnnxImporter.Import(modelPath, nameof(ResNet18), typeof(ResNet18).Namespace!);
    SafetensorsWriter.Write(OutputFile("ResNet18.safetensors"), imported.Weights, imported.Metadata);
    var backbone = new ResNet18();
    Checkpoint.Load(OutputFile("ResNet18.safetensors"), backbone);

    var preprocessing = ResNetInput.Load(ResNetModelFiles.Preprocess);
    var train = ResNetImages.FromZip(dataPath, "train", preprocessing);
    var validation = ResNetImages.FromZip(dataPath, "validation", preprocessing);
    Console.WriteLine($"Dogs vs. cats from {dataPath}: {train.Count:N0} training and {validation.Count:N0} validation photos at 224×224, classes {string.Join(" / ", train.ClassNames)}");
    Console.WriteLine($"Backbone: {modelPath} (imported, frozen: run in inference only), {backbone.ParameterLayout.Sum(p => p.Length):N0} parameters → {backbone.OutputSize} features");

    var head = new CatsVsDogsHead();
    var optimizer = new Adam(head, options.LearningRate);
    Console.WriteLine(head.Summary());
    var log = OutputFile("history.csv");
    var best = new ModelCheckpoint(OutputFile("best-head.safetensors"), Metric.ValidationAccuracy);
    var loaderOptions = new DataLoaderOptions { BatchSize = options.BatchSize, Seed = options.Seed };
    var fit = new HeadTraining(backbone, head, optimizer, train, validation, loaderOptions, options.Epochs, best, log);
    var (validationFeatures, history, backboneSeconds) = options.CacheFeatures ? fit.OnCachedFeatures() : fit.RecomputingFeatures();
    var headSeconds = History.ReadCsv(log).Epochs.Sum(e => e.Seconds);
    var epochSeconds = (backboneSeconds + headSeconds) / options.Epochs;
    Console.WriteLine(Invariant($"{(options.CacheFeatures ? "Feature cache" : "No feature cache")}: backbone {backboneSeconds:F1} s, head {headSeconds:F1} s over {options.Epochs} epochs: {epochSeconds:F2} s per epoch with the backbone's share spread over the epochs"));
    TrainingCurves.WriteSvg(History.ReadCsv(log), OutputFile("curves.svg"));

    // Report on the best epoch, read back from its file.
    Checkpoint.Load(OutputFile("best-head.safetensors"), head);
    var result = head.Evaluate(validationFeatures, options.BatchSize);
    ConfusionMatrixPlot.WriteSvg(result.ConfusionMatrix, train.ClassNames, OutputFile("confusion.svg"));
    Console.WriteLine(Invariant($"\nValidation of the best epoch ({Checkpoint.ReadMetadata(OutputFile("best-head.safetensors"))["epoch"]}): accuracy {100 * result.ConfusionMatrix.Accuracy:F2}%"));
    Console.WriteLine(result.ConfusionMatrix.Render(train.ClassNames));
    Console.WriteLine(result.ClassificationReport(train.ClassNames));
    Console.WriteLine(Invariant($"Plots: {OutputFile("curves.svg")}, {OutputFile("confusion.svg")}; wall time {wall.Elapsed.TotalMinutes:F1} min"));
    return history.StopReason is null ? 0 : 1;
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
