using System;
using System.Globalization;
using System.IO;

namespace NetGen.Samples.Mnist;

/// <summary>The sample's command line: <c>--model mlp|cnn --device cpu|opencl --epochs N --batch-size N --lr X --seed N --data DIR</c>.</summary>
internal sealed record SampleOptions
{
    public const string Usage = """
        Trains a NetGen network on MNIST.
        Usage: dotnet run --project samples/Mnist -c Release -- [options]
          --model mlp|cnn     the 784-128-10 perceptron (default) or the convolutional network
          --device cpu|opencl train on the CPU (default) or on the first OpenCL device
          --epochs N          passes over the 60,000 training images (default 5)
          --batch-size N      samples per training step (default 64)
          --lr X              Adam learning rate (default 0.002 for mlp, 0.001 for cnn)
          --lr-decay X        factor applied to the learning rate after each epoch (default 0.7)
          --seed N            shuffling seed (default 1)
          --data DIR          folder with the four MNIST .gz files (default: ../shared/data/mnist
                              beside the repository, else ~/.netgen/mnist, downloaded if missing)
        """;

    public string Model { get; init; } = "mlp";

    public string Device { get; init; } = "cpu";

    public int Epochs { get; init; } = 5;

    public int BatchSize { get; init; } = 64;

    /// <summary>The --lr given, or null for the model's default (<see cref="EffectiveLearningRate"/>).</summary>
    public float? LearningRate { get; init; }

    /// <summary>Adam's rate: the one given, else what reaches the targets in 5 epochs (MLP ≥ 97.5%, CNN ≥ 99%).</summary>
    public float EffectiveLearningRate => LearningRate ?? (Model == "cnn" ? 1e-3f : 2e-3f);

    public double LearningRateDecay { get; init; } = 0.7;

    public ulong Seed { get; init; } = 1;

    public string? DataDirectory { get; init; }

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
                "--model" => options with { Model = Value() is "mlp" or "cnn" ? args[i] : throw new ArgumentException($"--model must be mlp or cnn, not '{args[i]}'.") },
                "--device" => options with { Device = Value() is "cpu" or "opencl" ? args[i] : throw new ArgumentException($"--device must be cpu or opencl, not '{args[i]}'.") },
                "--epochs" => options with { Epochs = Positive(name, Value()) },
                "--batch-size" => options with { BatchSize = Positive(name, Value()) },
                "--lr" => options with { LearningRate = float.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var lr) && lr > 0 ? lr : throw new ArgumentException($"--lr must be a positive number, not '{args[i]}'.") },
                "--lr-decay" => options with { LearningRateDecay = double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var decay) && decay > 0 && decay <= 1 ? decay : throw new ArgumentException($"--lr-decay must be a number in (0, 1], not '{args[i]}'.") },
                "--seed" => options with { Seed = ulong.TryParse(Value(), out var seed) ? seed : throw new ArgumentException($"--seed must be a non-negative integer, not '{args[i]}'.") },
                "--data" => options with { DataDirectory = Value() },
                _ => throw new ArgumentException($"Unknown option '{name}'."),
            };
        }

        return options;
    }

    /// <summary>The repository's <c>../shared/data/mnist</c> when this runs from a checkout that has it.</summary>
    public static string? FindSharedData()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "NetGen.sln")))
                {
                    var shared = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", "mnist"));
                    return Directory.Exists(shared) ? shared : null;
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
