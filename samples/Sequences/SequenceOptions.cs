using System;
using System.CommandLine;
using System.IO;
using System.Threading.Tasks;

namespace NetGen.Samples.Sequences;

/// <summary>
/// The sample's command line: <c>--task sunspots|fortunes --data DIR --output DIR --epochs N --batch-size N
/// --lr X --seed N --chars N</c>; epochs, batch size and learning rate default per task.
/// </summary>
internal sealed record SequenceOptions
{
    public required string Task { get; init; }

    /// <summary>The folder holding <c>sunspots.csv</c> and <c>fortunes/</c>, or null for <c>../shared/data/sequences</c>.</summary>
    public string? DataDirectory { get; init; }

    public required string OutputDirectory { get; init; }

    /// <summary>The --epochs given, or null for the task's default (<see cref="EffectiveEpochs"/>).</summary>
    public int? Epochs { get; init; }

    /// <summary>Sunspots: 200 passes over ~200 windows take seconds; fortunes: 3 epochs over the default 200,000 characters.</summary>
    public int EffectiveEpochs => Epochs ?? (Task == "sunspots" ? 200 : 3);

    /// <summary>The --batch-size given, or null for the task's default (<see cref="EffectiveBatchSize"/>).</summary>
    public int? BatchSize { get; init; }

    public int EffectiveBatchSize => BatchSize ?? (Task == "sunspots" ? 16 : 128);

    /// <summary>The --lr given, or null for the task's default (<see cref="EffectiveLearningRate"/>).</summary>
    public float? LearningRate { get; init; }

    /// <summary>Adam's rate: 3e-3 for the small GRU on ~200 windows, 5e-3 for the character LSTM (large batches, few epochs).</summary>
    public float EffectiveLearningRate => LearningRate ?? (Task == "sunspots" ? 3e-3f : 5e-3f);

    public required ulong Seed { get; init; }

    /// <summary>Fortunes: train and validate on the first this many characters of the corpus (the last tenth of them validates).</summary>
    public required int Characters { get; init; }

    /// <summary>The command that parses the arguments and runs <paramref name="run"/>; a bad value is an error naming its option.</summary>
    public static RootCommand Command(Func<SequenceOptions, Task<int>> run)
    {
        var task = SampleOption.OneOf("--task", "sunspots: next year's sunspot activity with a GRU; fortunes: a character-level LSTM language model", "sunspots", "fortunes");
        var data = new Option<string?>("--data")
        {
            Description = "folder with sunspots.csv and fortunes/ [default: ../shared/data/sequences beside the repository]",
            HelpName = "DIR",
        };
        var output = new Option<string>("--output")
        {
            Description = "where the checkpoint, the vocabulary, the log and the plots go",
            HelpName = "DIR",
            DefaultValueFactory = _ => Path.Combine("out", "sequences"),
        };
        var epochs = SampleOption.OptionalPositiveInteger("--epochs", "passes over the training windows [default: 200 for sunspots, 3 for fortunes]");
        var batchSize = SampleOption.OptionalPositiveInteger("--batch-size", "windows per training step [default: 16 for sunspots, 128 for fortunes]");
        var learningRate = SampleOption.PositiveNumber("--lr", "Adam learning rate [default: 0.003 for sunspots, 0.005 for fortunes]");
        var seed = SampleOption.NonNegativeInteger("--seed", "shuffling and sampling seed", 1);
        var characters = SampleOption.PositiveInteger("--chars", "fortunes: characters of the corpus to use, the last tenth for validation", 200_000);
        var command = new RootCommand("Trains NetGen recurrent networks on sequences: sunspot forecasting and a character-level language model.")
        {
            task, data, output, epochs, batchSize, learningRate, seed, characters,
        };
        command.SetAction(parsed => run(new SequenceOptions
        {
            Task = parsed.GetRequiredValue(task),
            DataDirectory = parsed.GetValue(data),
            OutputDirectory = parsed.GetRequiredValue(output),
            Epochs = parsed.GetValue(epochs),
            BatchSize = parsed.GetValue(batchSize),
            LearningRate = (float?)parsed.GetValue(learningRate),
            Seed = parsed.GetValue(seed),
            Characters = parsed.GetValue(characters),
        }));
        return command;
    }

    /// <summary>--data, else the repository's <c>../shared/data/sequences</c>.</summary>
    /// <exception cref="DirectoryNotFoundException">Neither is there.</exception>
    public string DataDirectoryOrDefault =>
        DataDirectory
        ?? SampleOption.FindInSharedData("sequences")
        ?? throw new DirectoryNotFoundException("The sequence data was not found in ../shared/data/sequences beside the repository; pass --data DIR (a folder with sunspots.csv and fortunes/).");
}
