using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using NetGen;
using NetGen.Data;
using NetGen.Gpu;
using NetGen.Metrics;
using NetGen.Optimizers;
using NetGen.Schedules;
using NetGen.Samples.Mnist;

SampleOptions options;
try
{
    options = SampleOptions.Parse(args);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(SampleOptions.Usage);
    return 2;
}

var directory = options.DataDirectory
    ?? SampleOptions.FindSharedData()
    ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".netgen", "mnist");
try
{
    directory = await MnistDownloader.EnsureAsync(directory);
}
catch (Exception error) when (error is DataDownloadException or IOException)
{
    Console.Error.WriteLine(error.Message);
    return 1;
}

var train = MnistDataset.Load(directory, MnistSplit.Train);
var test = MnistDataset.Load(directory, MnistSplit.Test);
INetwork model = options.Model == "cnn" ? new MnistCnn() : new MnistMlp();
var optimizer = new Adam(model, options.EffectiveLearningRate);
// --device opencl: parameters, gradients and Adam's state live on the device; only the loss comes back per step.
using var device = options.Device == "opencl" ? ToOpenCl(model) : null;
var deviceOptimizer = new GpuAdam(options.EffectiveLearningRate);
// The learning rate shrinks by --lr-decay each epoch (PyTorch's MNIST example uses StepLR with gamma 0.7).
var schedule = new ExponentialLR(options.EffectiveLearningRate, options.LearningRateDecay);
var loader = new DataLoader(train, new DataLoaderOptions { BatchSize = options.BatchSize, Seed = options.Seed });

Console.WriteLine($"MNIST from {directory}: {train.Count:N0} training and {test.Count:N0} test images");
Console.WriteLine(model.Summary());
Console.WriteLine($"Adam lr {options.EffectiveLearningRate} × {options.LearningRateDecay}^epoch, batch {options.BatchSize}, {options.Epochs} epochs, " + (device is null ? $"{Environment.ProcessorCount} threads" : device.Backend.Name));

for (var epoch = 1; epoch <= options.Epochs; epoch++)
{
    schedule.Apply(optimizer, epoch - 1);
    deviceOptimizer = deviceOptimizer with { LearningRate = optimizer.LearningRate };
    var clock = Stopwatch.StartNew();
    double lossSum = 0, correct = 0;
    foreach (var batch in loader.Epoch(epoch))
    {
        if (device is not null)
        {
            lossSum += device.TrainStep(batch.Inputs, batch.Labels) * batch.Size;
            device.Step(deviceOptimizer);
            continue;
        }

        lossSum += model.TrainStep(batch.Inputs, batch.Labels) * batch.Size;
        optimizer.Step(model);
        correct += Accuracy.FromOutputs(model.LastOutputs, batch.Labels, 10) * batch.Size;
    }

    var trainSeconds = clock.Elapsed.TotalSeconds;
    device?.CopyParametersTo(model);
    var (testLoss, testAccuracy) = Evaluate(model, test);
    var trainAccuracy = device is null ? $"{100 * correct / train.Count:F2}%" : "(on device: not measured)";
    Console.WriteLine(
        $"epoch {epoch}/{options.Epochs}  loss {lossSum / train.Count:F4}  train acc {trainAccuracy}  " +
        $"test loss {testLoss:F4}  test acc {100 * testAccuracy:F2}%  {trainSeconds:F1} s/epoch");
}

return 0;

// The network's generated OpenCL twin; both sample networks run entirely on the device.
static GpuNetwork ToOpenCl(INetwork model) => model switch
{
    MnistCnn cnn => cnn.ToDevice(Device.OpenCL()),
    MnistMlp mlp => mlp.ToDevice(Device.OpenCL()),
    _ => throw new ArgumentException($"{model.GetType().Name} has no GPU path.", nameof(model)),
};

// Loss and accuracy over a whole split, in batches of 1,000 (so buffers stay small).
static (double Loss, double Accuracy) Evaluate(INetwork model, MnistDataset data)
{
    const int batch = 1000;
    var outputs = new float[batch * 10];
    double loss = 0, correct = 0;
    for (var start = 0; start < data.Count; start += batch)
    {
        var size = Math.Min(batch, data.Count - start);
        var inputs = data.Images.AsSpan(start * 784, size * 784);
        var labels = data.Labels.AsSpan(start, size);
        loss += model.Evaluate(inputs, labels, outputs) * size;
        correct += Accuracy.FromOutputs(outputs.AsSpan(0, size * 10), labels, 10) * size;
    }

    return (loss / data.Count, correct / data.Count);
}
