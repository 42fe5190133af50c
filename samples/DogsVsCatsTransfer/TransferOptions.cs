using System;
using System.CommandLine;
using System.IO;

namespace NetGen.Samples.DogsVsCatsTransfer;

/// <summary>The sample's command line; <c>--help</c> lists it.</summary>
internal sealed record TransferOptions
{
    public string? DataPath { get; init; }

    public string? ModelPath { get; init; }

    public required int Epochs { get; init; }

    public required int BatchSize { get; init; }

    public required float LearningRate { get; init; }

    public required bool CacheFeatures { get; init; }

    public required string OutputDirectory { get; init; }

    public required ulong Seed { get; init; }

    /// <summary>The command that parses the arguments and runs <paramref name="train"/>; a bad value is an error naming its option.</summary>
    public static RootCommand Command(Func<TransferOptions, int> train)
    {
        var data = new Option<string?>("--data")
        {
            Description = "cats_and_dogs_filtered.zip [default: the zip in ../shared/data/dogs-vs-cats beside the repository]",
            HelpName = "PATH",
        };
        var model = new Option<string?>("--model")
        {
            Description = "ResNet18.onnx [default: the one in the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1]",
            HelpName = "PATH",
        };
        var epochs = SampleOption.PositiveInteger("--epochs", "passes of the head over the training images", 30);
        var batchSize = SampleOption.PositiveInteger("--batch-size", "samples per training step (and per backbone batch)", 32);
        var learningRate = SampleOption.PositiveNumber("--lr", "Adam's learning rate for the head", 1e-3);
        var noCache = new Option<bool>("--no-feature-cache")
        {
            Description = "run the frozen backbone over every training and validation photo in every epoch, as training the whole network with a frozen backbone does, instead of once",
        };
        var output = new Option<string>("--output")
        {
            Description = "where the weights, the log and the plots go",
            HelpName = "DIR",
            DefaultValueFactory = _ => Path.Combine("out", "dogs-vs-cats-transfer"),
        };
        var seed = SampleOption.NonNegativeInteger("--seed", "shuffling seed", 1);
        var command = new RootCommand("Trains a new head on an ImageNet ResNet-18 imported from ONNX, frozen, on the dogs-vs-cats photos.")
        {
            data, model, epochs, batchSize, learningRate, noCache, output, seed,
        };
        command.SetAction(parsed => train(new TransferOptions
        {
            DataPath = parsed.GetValue(data),
            ModelPath = parsed.GetValue(model),
            Epochs = parsed.GetValue(epochs),
            BatchSize = parsed.GetValue(batchSize),
            LearningRate = (float)parsed.GetValue(learningRate)!.Value,
            CacheFeatures = !parsed.GetValue(noCache),
            OutputDirectory = parsed.GetRequiredValue(output),
            Seed = parsed.GetValue(seed),
        }));
        return command;
    }
}
