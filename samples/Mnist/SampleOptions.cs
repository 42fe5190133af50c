using System;
using System.CommandLine;
using System.IO;
using System.Threading.Tasks;

namespace NetGen.Samples.Mnist;

/// <summary>
/// The sample's command line: <c>--model mlp|cnn|resnet|lstm --device cpu|opencl --epochs N --batch-size N --lr X
/// --lr-decay X --seed N --data DIR --limit N --checkpoint FILE --resume --distributed --timeout S --bucket-bytes N</c>.
/// </summary>
internal sealed record SampleOptions
{
    public required string Model { get; init; }

    public required string Device { get; init; }

    public required int Epochs { get; init; }

    public required int BatchSize { get; init; }

    /// <summary>The --lr given, or null for the model's default (<see cref="EffectiveLearningRate"/>).</summary>
    public float? LearningRate { get; init; }

    /// <summary>Adam's rate: the one given, else what reaches the targets in 5 epochs (MLP ≥ 98%, CNN ≥ 99%, ResNet ≥ 99.4%).</summary>
    public float EffectiveLearningRate => LearningRate ?? (Model == "mlp" ? 3e-3f : 2e-3f);

    /// <summary>The --lr-decay given, or null for the model's default (<see cref="EffectiveLearningRateDecay"/>).</summary>
    public double? LearningRateDecay { get; init; }

    /// <summary>
    /// The factor applied to the rate after each epoch: the one given, else 0.7 (PyTorch's MNIST
    /// example), 0.5 for the ResNet, which in bench/resnet_mnist.py ends higher with the smaller last rates.
    /// </summary>
    public double EffectiveLearningRateDecay => LearningRateDecay ?? (Model == "resnet" ? 0.5 : 0.7);

    public required ulong Seed { get; init; }

    public string? DataDirectory { get; init; }

    /// <summary>Use only the first this many images of each split, for quick runs; null for all.</summary>
    public int? Limit { get; init; }

    /// <summary>The checkpoint written after every epoch (model and optimizer), or null for none.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Continue from <see cref="CheckpointPath"/>, after the epochs it holds.</summary>
    public bool Resume { get; init; }

    /// <summary>Train as one rank of the processes started by <c>mpiexec -np N</c> (docs/distributed.md).</summary>
    public bool Distributed { get; init; }

    /// <summary>How long, in seconds, a --distributed rank waits for the others in any exchange before it ends the job.</summary>
    public required double TimeoutSeconds { get; init; }

    /// <summary>The size of the gradient buckets a --distributed rank all-reduces while backward goes on (<see cref="Training.TrainerOptions.AllReduceBucketBytes"/>).</summary>
    public required int BucketBytes { get; init; }

    /// <summary>
    /// The command that parses the arguments into options and runs <paramref name="train"/> with
    /// them; <c>--help</c> lists the options, and a bad value is an error naming its option.
    /// </summary>
    public static RootCommand Command(Func<SampleOptions, Task<int>> train)
    {
        var model = SampleOption.OneOf("--model", "the 784-128-10 perceptron, the convolutional network, the residual network or the row-by-row LSTM", "mlp", "cnn", "resnet", "lstm");
        var device = SampleOption.OneOf("--device", "train on the CPU or on the first OpenCL device", "cpu", "opencl");
        var epochs = SampleOption.PositiveInteger("--epochs", "passes over the 60,000 training images", 5);
        var batchSize = SampleOption.PositiveInteger("--batch-size", "samples per training step", 64);
        var learningRate = SampleOption.PositiveNumber("--lr", "Adam learning rate [default: 0.003 for mlp, 0.002 for cnn and resnet]");
        var decay = SampleOption.PositiveNumber("--lr-decay", "factor applied to the learning rate after each epoch [default: 0.5 for resnet, else 0.7]", max: 1);
        var seed = SampleOption.NonNegativeInteger("--seed", "shuffling seed", 1);
        var data = new Option<string?>("--data")
        {
            Description = "folder with the four MNIST .gz files [default: ../shared/data/mnist beside the repository, else ~/.netgen/mnist, downloaded if missing]",
            HelpName = "DIR",
        };

        var limit = SampleOption.OptionalPositiveInteger("--limit", "use only the first N images of the training and of the test split");
        var checkpoint = new Option<string?>("--checkpoint")
        {
            Description = "write the model and optimizer to this safetensors file after every epoch (rank 0 only under --distributed)",
            HelpName = "FILE",
        };
        var resume = new Option<bool>("--resume") { Description = "continue from --checkpoint after the epochs it holds" };
        var distributed = new Option<bool>("--distributed")
        {
            Description = "train as one rank of the processes started by mpiexec.mpich -np N (MPICH), each on its share of every batch; --batch-size is the global batch",
        };
        var timeout = SampleOption.PositiveNumber("--timeout", "seconds a --distributed rank waits for the others before it ends the job", defaultValue: 300);
        var bucketBytes = SampleOption.PositiveInteger("--bucket-bytes", "under --distributed, the size of the gradient buckets whose all-reduce starts while backward goes on", Training.TrainerOptions.DefaultAllReduceBucketBytes);

        var command = new RootCommand("Trains a NetGen network on MNIST.") { model, device, epochs, batchSize, learningRate, decay, seed, data, limit, checkpoint, resume, distributed, timeout, bucketBytes };
        command.Validators.Add(result =>
        {
            if (result.GetValue(resume) && result.GetValue(checkpoint) is null)
            {
                result.AddError("--resume needs --checkpoint FILE, the file to continue from.");
            }

            if (result.GetValue(distributed) && result.GetValue(device) == "opencl")
            {
                result.AddError("--distributed trains on the CPU only (docs/distributed.md, 'GPUs').");
            }
        });
        command.SetAction(parsed => train(new SampleOptions
        {
            Model = parsed.GetRequiredValue(model),
            Device = parsed.GetRequiredValue(device),
            Epochs = parsed.GetValue(epochs),
            BatchSize = parsed.GetValue(batchSize),
            LearningRate = (float?)parsed.GetValue(learningRate),
            LearningRateDecay = parsed.GetValue(decay),
            Seed = parsed.GetValue(seed),
            DataDirectory = parsed.GetValue(data),
            Limit = parsed.GetValue(limit),
            CheckpointPath = parsed.GetValue(checkpoint),
            Resume = parsed.GetValue(resume),
            Distributed = parsed.GetValue(distributed),
            TimeoutSeconds = parsed.GetValue(timeout) ?? 300,
            BucketBytes = parsed.GetValue(bucketBytes),
        }));
        return command;
    }

    /// <summary>--data, else the repository's <c>../shared/data/mnist</c>, else <c>~/.netgen/mnist</c> (where the data is downloaded).</summary>
    public string DataDirectoryOrDefault =>
        DataDirectory
        ?? SampleOption.FindInSharedData("mnist")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".netgen", "mnist");
}
