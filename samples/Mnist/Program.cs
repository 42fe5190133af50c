using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using NetGen;
using NetGen.Data;
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

    var train = MnistDataset.Load(directory, MnistSplit.Train);
    var test = MnistDataset.Load(directory, MnistSplit.Test);
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
    var loader = new DataLoader(train, new DataLoaderOptions { BatchSize = options.BatchSize, Seed = options.Seed });
    // The learning rate shrinks by --lr-decay each epoch (PyTorch's MNIST example uses StepLR with gamma 0.7).
    var schedule = new ExponentialLR(options.EffectiveLearningRate, options.EffectiveLearningRateDecay);

    Console.WriteLine($"MNIST from {directory}: {train.Count:N0} training and {test.Count:N0} test images");
    Console.WriteLine(model.Summary());
    Console.WriteLine(
        $"Adam lr {options.EffectiveLearningRate} × {options.EffectiveLearningRateDecay}^epoch, batch {options.BatchSize}, {options.Epochs} epochs, " +
        (onDevice ? "OpenCL" : $"{Environment.ProcessorCount} threads"));

    // The test split is the validation set, as in PyTorch's MNIST example: val_acc is the test accuracy.
    var history = Trainer.Fit(model, new Adam(model, options.EffectiveLearningRate), loader, test, new TrainerOptions
    {
        Epochs = options.Epochs,
        ValidationBatchSize = 1000,
        Callbacks = [new LearningRateScheduler(schedule), new TerminateOnNaN()],
    });
    var seconds = history.Epochs.Sum(epoch => epoch.Seconds);
    Console.WriteLine($"test accuracy {100 * history.Epochs[^1].ValidationAccuracy:F2}% after {history.Epochs.Count} epochs, {seconds:F1} s of training and testing");
    return history.StopReason is null ? 0 : 1;
}

