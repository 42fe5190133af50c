using System;
using System.CommandLine;
using System.IO;

namespace NetGen.Samples.DogsVsCats;

/// <summary>The sample's command line; <c>--help</c> lists it.</summary>
internal sealed record SampleOptions
{
    public string? DataPath { get; init; }

    public required int Epochs { get; init; }

    public required int BatchSize { get; init; }

    public required string Optimizer { get; init; }

    /// <summary>The learning rate given with --lr, or null for the optimizer's default.</summary>
    public float? LearningRate { get; init; }

    public int? Limit { get; init; }

    public required string OutputDirectory { get; init; }

    public required ulong Seed { get; init; }

    public int? Workers { get; init; }

    public bool SkipBadImages { get; init; }

    public bool Resume { get; init; }

    /// <summary>Measure the pipeline, the step and an epoch (<see cref="PipelineFigures"/>) instead of training.</summary>
    public bool MeasurePipeline { get; init; }

    /// <summary>The learning rate to use: --lr, else Chollet's 1e-4 for RMSprop and Keras' default 1e-3 for Adam.</summary>
    public float EffectiveLearningRate => LearningRate ?? (Optimizer == "adam" ? 1e-3f : 1e-4f);

    /// <summary>
    /// The command that parses the arguments into options and runs <paramref name="train"/> with
    /// them; <c>--help</c> lists the options, and a bad value is an error naming its option.
    /// </summary>
    public static RootCommand Command(Func<SampleOptions, int> train)
    {
        var data = new Option<string?>("--data")
        {
            Description = "cats_and_dogs_filtered.zip, another zip or a folder holding train/ and validation/ with one subfolder per class [default: the zip in ../shared/data/dogs-vs-cats beside the repository]",
            HelpName = "PATH",
        };
        // Chollet trains 100 epochs of 100 steps × 32 augmented images: 320,000 images, 160 passes over these 2,000.
        var epochs = SampleOption.PositiveInteger("--epochs", "passes over the training images", 160);
        var batchSize = SampleOption.PositiveInteger("--batch-size", "samples per training step", 32);
        var optimizer = SampleOption.OneOf("--optimizer", "rmsprop (Chollet's: alpha 0.9, eps 1e-7, Keras' defaults) or adam", "rmsprop", "adam");
        var learningRate = SampleOption.PositiveNumber("--lr", "learning rate [default: 1e-4 for rmsprop, 1e-3 for adam]");
        var limit = SampleOption.OptionalPositiveInteger("--limit", "use only the first N training and N validation images of each class");
        var output = new Option<string>("--output")
        {
            Description = "where the checkpoints, the log and the plots go",
            HelpName = "DIR",
            DefaultValueFactory = _ => Path.Combine("out", "dogs-vs-cats"),
        };
        var seed = SampleOption.NonNegativeInteger("--seed", "shuffling and augmentation seed", 1);
        var workers = SampleOption.OptionalPositiveInteger("--workers", "loader threads decoding and augmenting images [default: half the cores, 1-4]");
        var skipBadImages = new Option<bool>("--skip-bad-images")
        {
            Description = "skip images that cannot be decoded (an unreadable header when the folder is read, damaged data when a batch is), with a warning naming the file, instead of stopping (BadImagePolicy.SkipWithWarning)",
        };
        var resume = new Option<bool>("--resume")
        {
            Description = "continue the run in the output folder from its last epoch (last.safetensors: parameters and optimizer state) up to --epochs",
        };

        var measurePipeline = new Option<bool>("--measure-pipeline")
        {
            Description = "instead of training, print the images/s of the input pipeline alone, of the training step alone and of an epoch over the training images (with --limit: a subset), then exit",
        };

        var command = new RootCommand("Trains Chollet's convnet on the dogs-vs-cats photos (cats_and_dogs_filtered).")
        {
            data, epochs, batchSize, optimizer, learningRate, limit, output, seed, workers, skipBadImages, resume, measurePipeline,
        };
        command.SetAction(parsed => train(new SampleOptions
        {
            DataPath = parsed.GetValue(data),
            Epochs = parsed.GetValue(epochs),
            BatchSize = parsed.GetValue(batchSize),
            Optimizer = parsed.GetRequiredValue(optimizer),
            LearningRate = (float?)parsed.GetValue(learningRate),
            Limit = parsed.GetValue(limit),
            OutputDirectory = parsed.GetRequiredValue(output),
            Seed = parsed.GetValue(seed),
            Workers = parsed.GetValue(workers),
            SkipBadImages = parsed.GetValue(skipBadImages),
            Resume = parsed.GetValue(resume),
            MeasurePipeline = parsed.GetValue(measurePipeline),
        }));
        return command;
    }
}
