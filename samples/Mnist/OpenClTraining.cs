using System;
using System.Diagnostics;
using NetGen.Data;
using NetGen.Gpu;
using NetGen.Metrics;
using NetGen.Schedules;

namespace NetGen.Samples.Mnist;

/// <summary>
/// <c>--device opencl</c>: parameters, gradients and Adam's state live on the device; only the loss
/// comes back per step. A loop of its own, since a <see cref="GpuNetwork"/> is not an
/// <see cref="INetwork"/> that <c>Trainer.Fit</c> could drive.
/// </summary>
internal static class OpenClTraining
{
    public static int Run(INetwork model, DataLoader loader, MnistDataset test, LearningRateSchedule schedule, SampleOptions options)
    {
        using var device = ToOpenCl(model);
        var optimizer = new GpuAdam(options.EffectiveLearningRate);
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            optimizer = optimizer with { LearningRate = (float)schedule.LearningRateAt(epoch) };
            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            foreach (var batch in loader.Epoch(epoch))
            {
                lossSum += device.TrainStep(batch.Inputs, batch.Labels) * batch.Size;
                device.Step(optimizer);
            }

            var trainSeconds = clock.Elapsed.TotalSeconds;
            device.CopyParametersTo(model);
            var (testLoss, testAccuracy) = Evaluate(model, test);
            Console.WriteLine(
                $"epoch {epoch + 1}/{options.Epochs}  loss {lossSum / loader.Dataset.Count:F4}  " +
                $"test loss {testLoss:F4}  test acc {100 * testAccuracy:F2}%  {trainSeconds:F1} s/epoch");
        }

        return 0;
    }

    // The network's generated OpenCL twin; both sample networks run entirely on the device.
    private static GpuNetwork ToOpenCl(INetwork model) => model switch
    {
        MnistCnn cnn => cnn.ToDevice(Device.OpenCL()),
        MnistMlp mlp => mlp.ToDevice(Device.OpenCL()),
        _ => throw new ArgumentException($"{model.GetType().Name} has no GPU path.", nameof(model)),
    };

    // Loss and accuracy over a whole split, in batches of 1,000 (so buffers stay small).
    private static (double Loss, double Accuracy) Evaluate(INetwork model, MnistDataset data)
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
}
