using System;
using System.Globalization;
using System.IO;

namespace NetGen.Samples.DogsVsCats;

/// <summary>The sample's command line; see <see cref="Usage"/>.</summary>
internal sealed record SampleOptions
{
    public const string Usage = """
        Trains Chollet's convnet on the dogs-vs-cats photos (cats_and_dogs_filtered).
        Usage: dotnet run --project samples/DogsVsCats -c Release -- [options]
          --data PATH          cats_and_dogs_filtered.zip, another zip or a folder holding train/ and
                               validation/ with one subfolder per class (default: the zip in
                               ../shared/data/dogs-vs-cats beside the repository)
          --epochs N           passes over the training images (default 160)
          --batch-size N       samples per training step (default 32)
          --optimizer NAME     rmsprop (Chollet's: alpha 0.9, eps 1e-7, Keras' defaults) or adam
          --lr X               learning rate (default 1e-4 for rmsprop, 1e-3 for adam)
          --limit N            use only the first N training and N validation images of each class
          --output DIR         where the checkpoint and plots go (default out/dogs-vs-cats)
          --seed N             shuffling and augmentation seed (default 1)
          --workers N          loader threads decoding and augmenting images (default: half the cores, 1-4)
          --skip-bad-images    leave out files whose JPEG header is unreadable, with a warning,
                               instead of stopping (BadImagePolicy.SkipWithWarning)
          --resume             continue the run in the output folder from its last epoch
                               (last.safetensors: parameters and optimizer state) up to --epochs
        """;

    public string? DataPath { get; init; }

    // Chollet trains 100 epochs of 100 steps × 32 augmented images: 320,000 images, 160 passes over these 2,000.
    public int Epochs { get; init; } = 160;

    public int BatchSize { get; init; } = 32;

    public string Optimizer { get; init; } = "rmsprop";

    /// <summary>The learning rate given with --lr, or null for the optimizer's default.</summary>
    public float? LearningRate { get; init; }

    public int? Limit { get; init; }

    public string OutputDirectory { get; init; } = Path.Combine("out", "dogs-vs-cats");

    public ulong Seed { get; init; } = 1;

    public int? Workers { get; init; }

    public bool SkipBadImages { get; init; }

    public bool Resume { get; init; }

    /// <summary>The learning rate to use: --lr, else Chollet's 1e-4 for RMSprop and Keras' default 1e-3 for Adam.</summary>
    public float EffectiveLearningRate => LearningRate ?? (Optimizer == "adam" ? 1e-3f : 1e-4f);

    /// <summary>Parses <paramref name="args"/>; a bad option throws an <see cref="ArgumentException"/> naming it.</summary>
    public static SampleOptions Parse(string[] args)
    {
        var options = new SampleOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--data" => options with { DataPath = Value() },
                "--epochs" => options with { Epochs = Positive(name, Value()) },
                "--batch-size" => options with { BatchSize = Positive(name, Value()) },
                "--optimizer" => options with { Optimizer = Value() is "rmsprop" or "adam" ? args[i] : throw new ArgumentException($"--optimizer must be rmsprop or adam, not '{args[i]}'.") },
                "--lr" => options with { LearningRate = float.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var lr) && lr > 0 && float.IsFinite(lr) ? lr : throw new ArgumentException($"--lr must be a positive number, not '{args[i]}'.") },
                "--limit" => options with { Limit = Positive(name, Value()) },
                "--output" => options with { OutputDirectory = Value() },
                "--seed" => options with { Seed = ulong.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var seed) ? seed : throw new ArgumentException($"--seed must be a non-negative integer, not '{args[i]}'.") },
                "--workers" => options with { Workers = Positive(name, Value()) },
                "--skip-bad-images" => options with { SkipBadImages = true },
                "--resume" => options with { Resume = true },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        return options;
    }

    /// <summary>The repository's <c>../shared/data/dogs-vs-cats/cats_and_dogs_filtered.zip</c> when this runs from a checkout that has it.</summary>
    public static string? FindSharedZip()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "NetGen.sln")))
                {
                    var zip = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", "dogs-vs-cats", "cats_and_dogs_filtered.zip"));
                    return File.Exists(zip) ? zip : null;
                }
            }
        }

        return null;
    }

    private static int Positive(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} must be a positive integer, not '{text}'.");
}
