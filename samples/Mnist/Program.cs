using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using NetGen;
using NetGen.Checkpoints;
using NetGen.Data;
using NetGen.Distributed;
using NetGen.Optimizers;
using NetGen.Samples.Mnist;
using NetGen.Schedules;
using NetGen.Training;

var parsed = SampleOptions.Command(Train).Parse(args);
var exitCode = await parsed.InvokeAsync();
// 2 for a bad command line (the errors and the usage are printed), as before System.CommandLine.
return parsed.Errors.Count > 0 ? 2 : exitCode;

static async Task<int> Train(SampleOptions options)
{
    // --distributed: one rank of the processes mpiexec started; MPI is set up before anything else can fail.
    using var communicator = options.Distributed ? MpiCommunicator.Initialize(TimeSpan.FromSeconds(options.TimeoutSeconds)) : null;
    try
    {
        return await TrainOnRank(options, communicator);
    }
    catch (DistributedException error)
    {
        // An exchange failed (a rank died or hung): disposing the communicator ends the whole job.
        Console.Error.WriteLine(error.Message);
        return 1;
    }
    catch (Exception error) when (communicator is not null)
    {
        // The other ranks would wait for this one until their timeout: end the whole job now.
        Console.Error.WriteLine($"Rank {communicator.Rank} of {communicator.Size} failed: {error.Message}");
        communicator.Abort(1);
        return 1;
    }
}

static async Task<int> TrainOnRank(SampleOptions options, MpiCommunicator? communicator)
{
    var (rank, ranks) = (communicator?.Rank ?? 0, communicator?.Size ?? 1);
    // Rank 0 speaks for all: the others train the same model and would repeat its lines.
    var console = rank == 0 ? Console.Out : TextWriter.Null;
    string directory;
    try
    {
        directory = await MnistDownloader.EnsureAsync(options.DataDirectoryOrDefault);
    }
    catch (Exception error) when (error is DataDownloadException or IOException)
    {
        Console.Error.WriteLine(error.Message);
        return 1;
    }

    var train = Limited(MnistDataset.Load(directory, MnistSplit.Train), options.Limit);
    var test = Limited(MnistDataset.Load(directory, MnistSplit.Test), options.Limit);
    // --device opencl: the network's generated device copy, an INetwork that Trainer.Fit drives as it drives the CPU one.
    var onDevice = options.Device == "opencl";
    if (options.Model == "lstm" && onDevice)
    {
        Console.Error.WriteLine("--model lstm runs on the CPU only: the LSTM has no device kernels yet (NG0301); use --device cpu.");
        return 2;
    }

    INetwork model = (options.Model, onDevice) switch
    {
        ("lstm", _) => new MnistLstm(),
        ("cnn", true) => new MnistCnn().ToDevice(Device.OpenCL()),
        ("cnn", false) => new MnistCnn(),
        ("resnet", true) => new MnistResNet().ToDevice(Device.OpenCL()),
        ("resnet", false) => new MnistResNet(),
        (_, true) => new MnistMlp().ToDevice(Device.OpenCL()),
        (_, false) => new MnistMlp(),
    };
    // The device copy holds device memory until disposed.
    using var deviceMemory = model as IDisposable;
    // Every rank walks the same shuffled order and takes its share of each global batch of --batch-size.
    var loader = new DataLoader(train, new DataLoaderOptions { BatchSize = options.BatchSize, Seed = options.Seed, ShardIndex = rank, ShardCount = ranks });
    // The learning rate shrinks by --lr-decay each epoch (PyTorch's MNIST example uses StepLR with gamma 0.7).
    var schedule = new ExponentialLR(options.EffectiveLearningRate, options.EffectiveLearningRateDecay);
    var optimizer = new Adam(model, options.EffectiveLearningRate);
    // Under --distributed Fit gives every rank rank 0's state, but each rank needs the epoch to start from.
    var epochsDone = options.Resume ? Resume(options.CheckpointPath!, model, optimizer) : 0;

    if (communicator is not null)
    {
        // A rank that is killed cannot say so; the launcher names its process id, which this line maps to its rank.
        console.WriteLine($"{communicator.Library}: {ranks} processes, {string.Join(", ", ProcessIds(communicator).Select((pid, r) => $"rank {r} pid {pid}"))}");
    }

    console.WriteLine($"MNIST from {directory}: {train.Count:N0} training and {test.Count:N0} test images");
    console.WriteLine(model.Summary());
    console.WriteLine(
        $"Adam lr {options.EffectiveLearningRate} × {options.EffectiveLearningRateDecay}^epoch, batch {options.BatchSize}, {options.Epochs} epochs, " +
        (onDevice ? "OpenCL" : $"{Environment.ProcessorCount} threads") +
        (communicator is null ? "" : $" × {ranks} processes (MPI), {options.BatchSize / ranks} samples each per step") +
        (epochsDone > 0 ? $", resuming after epoch {epochsDone} of {options.CheckpointPath}" : ""));

    ICallback[] saving = options.CheckpointPath is { } path ? [new ModelCheckpoint(path, saveBestOnly: false)] : [];
    // The test split is the validation set, as in PyTorch's MNIST example: val_acc is the test accuracy.
    var history = Trainer.Fit(model, optimizer, loader, test, new TrainerOptions
    {
        Epochs = options.Epochs,
        InitialEpoch = epochsDone,
        ValidationBatchSize = 1000,
        Callbacks = [new LearningRateScheduler(schedule), new TerminateOnNaN(), .. saving],
        Communicator = communicator,
        AllReduceBucketBytes = options.BucketBytes,
    });
    var seconds = history.Epochs.Sum(epoch => epoch.Seconds);
    console.WriteLine($"test accuracy {100 * history.Epochs[^1].ValidationAccuracy:F2}% after {history.Epochs[^1].Epoch} epochs, {seconds:F1} s of training and testing");
    return history.StopReason is null ? 0 : 1;
}

static double[] ProcessIds(MpiCommunicator communicator)
{
    var ids = new double[communicator.Size];
    ids[communicator.Rank] = Environment.ProcessId;
    communicator.AllReduceSum(ids, "process ids");
    return ids;
}

static IDataset Limited(IDataset dataset, int? limit) =>
    limit is { } count && count < dataset.Count ? new DatasetSubset(dataset, Enumerable.Range(0, count).ToArray()) : dataset;

static int Resume(string path, INetwork model, Optimizer optimizer)
{
    Checkpoint.Load(path, model, optimizer);
    return Checkpoint.ReadMetadata(path).TryGetValue("epoch", out var epoch) && int.TryParse(epoch, out var done)
        ? done
        : throw new InvalidDataException($"'{path}' does not record how many epochs it holds (metadata 'epoch').");
}
