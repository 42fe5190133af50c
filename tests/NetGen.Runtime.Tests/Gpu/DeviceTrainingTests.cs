using System;
using System.IO;
using System.Linq;
using NetGen.Checkpoints;
using NetGen.Data;
using NetGen.Gpu;
using NetGen.Metrics;
using NetGen.Optimizers;
using NetGen.Prediction;
using NetGen.Runtime.Tests.Skips;
using NetGen.Runtime.Tests.Training;
using NetGen.Training;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>
/// A device network is an <see cref="INetwork"/>: <c>Trainer.Fit</c>, the optimizers, callbacks and
/// checkpoints take it as they take the CPU network, and give what they give on the CPU.
/// </summary>
public sealed class DeviceTrainingTests
{
    /// <summary>A few training steps: float32 sums in another order move each value by a few ulps per step.</summary>
    private const double Tolerance = 1e-4;

    private readonly ITestOutputHelper _output;

    public DeviceTrainingTests(ITestOutputHelper output) => _output = output;

    [OpenClFact]
    public void FitWithAdamMatchesTheCpuEpochByEpoch()
    {
        // BatchNorm: its running statistics are updated on the device and compared as buffers.
        var train = new BlobDataset(60, 3, GpuNormalized.Layout.InputSize, seed: 60);
        var validation = new BlobDataset(24, 3, GpuNormalized.Layout.InputSize, seed: 61);
        var cpu = new GpuNormalized();
        using var gpu = new GpuNormalized().ToDevice(Device.OpenCL());

        var cpuHistory = Trainer.Fit(cpu, new Adam(cpu, 0.01f), Loader(train), validation, Options(epochs: 3));
        var gpuHistory = Trainer.Fit(gpu, new Adam(gpu, 0.01f), Loader(train), validation, Options(epochs: 3));

        CheckSameRun(cpu, gpu, cpuHistory, gpuHistory);
    }

    [OpenClFact]
    public void FitWithMomentumSgdMatchesTheCpuEpochByEpoch()
    {
        // Dropout: the device draws the CPU's masks only if the training-step count advances alike.
        var train = new BlobDataset(60, 3, GpuDropped.Layout.InputSize, seed: 62);
        var validation = new BlobDataset(24, 3, GpuDropped.Layout.InputSize, seed: 63);
        var cpu = new GpuDropped();
        using var gpu = new GpuDropped().ToDevice(Device.OpenCL());

        var cpuHistory = Trainer.Fit(cpu, new Sgd(cpu, 0.05f, momentum: 0.9, weightDecay: 0.01), Loader(train), validation, Options(epochs: 3));
        var gpuHistory = Trainer.Fit(gpu, new Sgd(gpu, 0.05f, momentum: 0.9, weightDecay: 0.01), Loader(train), validation, Options(epochs: 3));

        CheckSameRun(cpu, gpu, cpuHistory, gpuHistory);
        Assert.Equal(cpu.TrainingSteps, gpu.TrainingSteps);
    }

    /// <remarks>
    /// RMSprop moves each parameter by about lr · sign(g) while √v is still small, whatever the size of
    /// g, so a gradient that is zero up to rounding would step by ±lr at random on either side; weight
    /// decay keeps every effective gradient away from zero.
    /// </remarks>
    [OpenClFact]
    public void AdamWAndRmsPropStepTheDeviceAsTheCpu()
    {
        Optimizer[] Optimizers(int count) =>
        [
            new AdamW(count, 0.01f, weightDecay: 0.1),
            new RmsProp(count, 0.01f, weightDecay: 0.01, momentum: 0.5, centered: true),
            new RmsProp(count, 0.01f, alpha: 0.9, weightDecay: 0.01),
        ];
        var labels = DeviceParity.Labels(9, 4, seed: 64);
        var inputs = DeviceParity.Random(9 * GpuClassifier.Layout.InputSize, seed: 65);
        var cpuOptimizers = Optimizers(GpuClassifier.Layout.ParameterCount);
        var gpuOptimizers = Optimizers(GpuClassifier.Layout.ParameterCount);
        for (var i = 0; i < cpuOptimizers.Length; i++)
        {
            var cpu = new GpuClassifier();
            using var gpu = new GpuClassifier().ToDevice(Device.OpenCL());
            for (var step = 0; step < 3; step++)
            {
                cpu.TrainStep(inputs, labels);
                gpu.TrainStep(inputs, labels);
                cpuOptimizers[i].Step(cpu);
                gpuOptimizers[i].Step(gpu);
            }

            var error = Math.Max(Error(cpu.Parameters, Host(gpu).Parameters), Error(cpuOptimizers[i].State, gpuOptimizers[i].State));
            _output.WriteLine($"{cpuOptimizers[i].GetType().Name} {i}: parameters and state after 3 steps {error:E2}");
            Assert.True(error < Tolerance, $"{cpuOptimizers[i].GetType().Name} on the device departs from the CPU by {error:E2}");
        }
    }

    /// <summary>
    /// Two epochs on the device, saved with the optimizer, resumed on the CPU for a third; and two on
    /// the CPU resumed on the device: both end where three uninterrupted CPU epochs end.
    /// </summary>
    [OpenClFact]
    public void CheckpointsMoveARunBetweenDeviceAndCpu()
    {
        var train = new BlobDataset(60, 3, GpuNormalized.Layout.InputSize, seed: 66);
        var straight = new GpuNormalized();
        Trainer.Fit(straight, new Adam(straight, 0.01f), Loader(train), null, Options(epochs: 3));
        var path = Path.Combine(Path.GetTempPath(), $"netgen-device-{Guid.NewGuid():N}.safetensors");
        try
        {
            using (var gpu = new GpuNormalized().ToDevice(Device.OpenCL()))
            {
                var deviceAdam = new Adam(gpu, 0.01f);
                Trainer.Fit(gpu, deviceAdam, Loader(train), null, Options(epochs: 2));
                Checkpoint.Save(path, gpu, deviceAdam);
            }

            var cpu = new GpuNormalized();
            var cpuAdam = new Adam(cpu, 0.5f);
            Checkpoint.Load(path, cpu, cpuAdam);
            Assert.Equal(6, cpuAdam.StepCount);
            Assert.Equal(6, cpu.TrainingSteps);
            Trainer.Fit(cpu, cpuAdam, Loader(train), null, Options(epochs: 3, initialEpoch: 2));
            CheckClose("device, then CPU", straight, cpu);

            var first = new GpuNormalized();
            var firstAdam = new Adam(first, 0.01f);
            Trainer.Fit(first, firstAdam, Loader(train), null, Options(epochs: 2));
            Checkpoint.Save(path, first, firstAdam);
            using var resumed = new GpuNormalized().ToDevice(Device.OpenCL());
            var resumedAdam = new Adam(resumed, 0.5f);
            Checkpoint.Load(path, resumed, resumedAdam);
            Trainer.Fit(resumed, resumedAdam, Loader(train), null, Options(epochs: 3, initialEpoch: 2));
            CheckClose("CPU, then device", straight, resumed);
            Assert.Equal(9, resumedAdam.StepCount);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// After a device step the device holds the newer moments: loading state must replace them there
    /// (the next device step starts from it) and must not be overwritten by reading them back.
    /// </summary>
    [OpenClFact]
    public void LoadedOptimizerStateReplacesTheDeviceCopy()
    {
        var inputs = DeviceParity.Random(6 * GpuClassifier.Layout.InputSize, seed: 72);
        var labels = DeviceParity.Labels(6, 4, seed: 73);
        OptimizerState[] saved =
        [
            new("exp_avg", Enumerable.Repeat(0.5f, GpuClassifier.Layout.ParameterCount).ToArray()),
            new("exp_avg_sq", Enumerable.Repeat(0.25f, GpuClassifier.Layout.ParameterCount).ToArray()),
        ];
        using var gpu = new GpuClassifier().ToDevice(Device.OpenCL());
        var adam = new Adam(gpu, 0.01f);
        gpu.TrainStep(inputs, labels);
        adam.Step(gpu);
        var cpu = new GpuClassifier();
        Host(gpu).Parameters.CopyTo(cpu.Parameters);
        var cpuAdam = new Adam(cpu, 0.01f);

        // Loaded, then stepped on the device without being read in between.
        adam.LoadState(7, saved);
        cpuAdam.LoadState(7, saved);
        cpu.TrainStep(inputs, labels);
        gpu.TrainStep(inputs, labels);
        cpuAdam.Step(cpu);
        adam.Step(gpu);
        CheckClose("a step from loaded state", cpu, gpu);
        Assert.True(Error(cpuAdam.State, adam.State) < Tolerance);

        // Loaded after a device step, then read: the loaded values, not the device's.
        gpu.TrainStep(inputs, labels);
        adam.Step(gpu);
        adam.LoadState(7, saved);
        Assert.Equal(saved[0].Values, adam.State[0].Values);
        Assert.Equal(saved[1].Values, adam.State[1].Values);
    }

    [OpenClFact]
    public void CallbacksSeeTheDeviceNetwork()
    {
        var train = new BlobDataset(60, 3, GpuDropped.Layout.InputSize, seed: 67);
        var validation = new BlobDataset(24, 3, GpuDropped.Layout.InputSize, seed: 68);
        var checkpoint = Path.Combine(Path.GetTempPath(), $"netgen-device-{Guid.NewGuid():N}.safetensors");
        var log = Path.ChangeExtension(checkpoint, ".csv");
        try
        {
            using var gpu = new GpuDropped().ToDevice(Device.OpenCL());
            var adam = new Adam(gpu, 0.02f);
            var saver = new ModelCheckpoint(checkpoint, saveBestOnly: false);
            var stopper = new EarlyStopping(patience: 5, restoreBestWeights: true);
            var options = Options(epochs: 3) with { Callbacks = [saver, new CsvLogger(log), stopper] };
            var history = Trainer.Fit(gpu, adam, Loader(train), validation, options);

            // EarlyStopping wrote the best epoch's parameters into the host copy; the device evaluates with them.
            var best = history.Epochs[stopper.BestEpoch - 1].ValidationLoss!.Value;
            Assert.Equal(best, gpu.Evaluate(validation, batchSize: 24).Loss, 5);

            Assert.Equal(3, History.ReadCsv(log).Epochs.Count);
            Assert.Equal(3, saver.SavedEpoch);
            // The checkpoint holds the device's parameters and optimizer state as they were after epoch 3.
            var cpu = new GpuDropped();
            var cpuAdam = new Adam(cpu, 0.5f);
            Checkpoint.Load(checkpoint, cpu, cpuAdam);
            Assert.Equal(adam.StepCount, cpuAdam.StepCount);
            Assert.Equal(adam.State.Select(s => s.Values).ToArray(), cpuAdam.State.Select(s => s.Values).ToArray());
            var validated = cpu.Evaluate(validation, batchSize: 24);
            Assert.Equal(history.Epochs[^1].ValidationLoss!.Value, validated.Loss, 5);
        }
        finally
        {
            File.Delete(checkpoint);
            File.Delete(log);
        }
    }

    [OpenClFact]
    public void AFrozenLayerStaysPutOnTheDevice()
    {
        var train = new BlobDataset(60, 4, GpuClassifier.Layout.InputSize, seed: 69);
        var cpu = new GpuClassifier();
        cpu.SetFrozen("middle", true);
        var gpuNetwork = new GpuClassifier();
        using var gpu = gpuNetwork.ToDevice(Device.OpenCL());
        gpu.SetFrozen("middle", true);
        var before = gpuNetwork.Middle.Weight.ToArray();

        // Weight decay and momentum would move a frozen layer that the optimizer did not skip.
        Trainer.Fit(cpu, new Adam(cpu, 0.01f, weightDecay: 0.1), Loader(train), null, Options(epochs: 2));
        Trainer.Fit(gpu, new Adam(gpu, 0.01f, weightDecay: 0.1), Loader(train), null, Options(epochs: 2));

        INetwork device = gpu;
        var middle = GpuClassifier.Layout.MiddleWeight;
        Assert.Equal(before, device.Parameters.Slice(middle, before.Length).ToArray());
        Assert.All(device.Gradients.Slice(middle, before.Length).ToArray(), g => Assert.Equal(0f, g));
        Assert.True(gpuNetwork.IsFrozen("middle"));
        CheckClose("frozen middle layer", cpu, gpu);
    }

    [OpenClFact]
    public void HostWritesReachTheDeviceAndDeviceStepsReachTheHost()
    {
        var inputs = DeviceParity.Random(5 * GpuClassifier.Layout.InputSize, seed: 70);
        var labels = DeviceParity.Labels(5, 4, seed: 71);
        var cpu = new GpuClassifier();
        cpu.ResetParameters(77);
        using var gpu = new GpuClassifier().ToDevice(Device.OpenCL());
        INetwork device = gpu;
        cpu.Parameters.CopyTo(device.Parameters);

        var cpuOutputs = new float[5 * GpuClassifier.Layout.OutputSize];
        var gpuOutputs = new float[5 * GpuClassifier.Layout.OutputSize];
        var cpuLoss = cpu.Evaluate(inputs, labels, cpuOutputs);
        var gpuLoss = gpu.Evaluate(inputs, labels, gpuOutputs);
        Assert.True(DeviceParity.MaxRelativeError(cpuOutputs, gpuOutputs) < Tolerance);
        Assert.Equal(cpuLoss, gpuLoss, 5);
        Assert.Equal(gpuOutputs, gpu.LastOutputs.ToArray());
        // Predict applies the link the loss absorbed (softmax here) to Forward's logits, on either.
        Assert.Equal(cpu.PredictClasses(inputs), gpu.PredictClasses(inputs));
        Assert.True(DeviceParity.MaxRelativeError(cpu.Predict(inputs.AsSpan(0, GpuClassifier.Layout.InputSize)), gpu.Predict(inputs.AsSpan(0, GpuClassifier.Layout.InputSize))) < Tolerance);

        // A step on the device, then the same step on the host copy it reads back: the device's update is visible.
        gpu.TrainStep(inputs, labels);
        var sgd = new Sgd(gpu, 0.1f);
        var before = device.Parameters.ToArray();
        sgd.Step(gpu);
        Assert.NotEqual(before, device.Parameters.ToArray());
    }

    [OpenClFact]
    public void EvaluateOnTargetsMatchesTheCpuForEveryTargetLoss()
    {
        Check(new GpuRegressor(), n => n.ToDevice(Device.OpenCL()));
        Check(new GpuAbsoluteRegressor(), n => n.ToDevice(Device.OpenCL()));
        Check(new GpuFlattened(), n => n.ToDevice(Device.OpenCL()));

        void Check<TNetwork>(TNetwork cpu, Func<TNetwork, GpuNetwork> toDevice)
            where TNetwork : INetwork
        {
            using var gpu = toDevice(cpu);
            var inputs = DeviceParity.Random(7 * cpu.InputSize, seed: 76);
            var targets = DeviceParity.Random(7 * cpu.OutputSize, seed: 77).Select(Math.Abs).ToArray();
            float[] cpuOutputs = new float[7 * cpu.OutputSize], gpuOutputs = new float[7 * cpu.OutputSize];
            var cpuLoss = cpu.Evaluate(inputs, targets, cpuOutputs);
            var gpuLoss = gpu.Evaluate(inputs, targets, gpuOutputs);

            var error = Math.Max(DeviceParity.MaxRelativeError([cpuLoss], [gpuLoss]), DeviceParity.MaxRelativeError(cpuOutputs, gpuOutputs));
            _output.WriteLine($"{typeof(TNetwork).Name} ({cpu.Loss}): loss and outputs {error:E2}");
            Assert.True(error < Tolerance, $"{typeof(TNetwork).Name}: Evaluate on the device departs from the CPU by {error:E2}");
        }
    }

    [OpenClFact]
    public void DisposingReadsTheOptimizerStateBackAndEndsHostAccess()
    {
        var gpu = new GpuClassifier().ToDevice(Device.OpenCL());
        var adam = new Adam(gpu, 0.01f);
        gpu.TrainStep(DeviceParity.Random(4 * GpuClassifier.Layout.InputSize, seed: 74), DeviceParity.Labels(4, 4, seed: 75));
        adam.Step(gpu);
        gpu.Dispose();

        // The moments lived only on the device; Dispose brought them back before freeing it.
        Assert.Contains(adam.State[0].Values, v => v != 0);
        Assert.Throws<ObjectDisposedException>(() => Host(gpu).Parameters.Length);
        Assert.Throws<ObjectDisposedException>(() => gpu.LastOutputs.Length);
    }

    private static void CheckSameRun(INetwork cpu, INetwork gpu, History cpuHistory, History gpuHistory)
    {
        Assert.Equal(cpuHistory.Epochs.Count, gpuHistory.Epochs.Count);
        for (var e = 0; e < cpuHistory.Epochs.Count; e++)
        {
            var (c, g) = (cpuHistory.Epochs[e], gpuHistory.Epochs[e]);
            Assert.True(Math.Abs(c.TrainLoss - g.TrainLoss) < Tolerance * Math.Max(1, c.TrainLoss), $"epoch {e + 1}: loss {c.TrainLoss} on the CPU, {g.TrainLoss} on the device");
            Assert.True(Math.Abs(c.ValidationLoss!.Value - g.ValidationLoss!.Value) < Tolerance * Math.Max(1, c.ValidationLoss.Value), $"epoch {e + 1}: validation loss {c.ValidationLoss} on the CPU, {g.ValidationLoss} on the device");
            Assert.Equal(c.TrainAccuracy, g.TrainAccuracy);
            Assert.Equal(c.ValidationAccuracy, g.ValidationAccuracy);
        }

        CheckClose("Fit", cpu, gpu);
    }

    private static void CheckClose(string what, INetwork expected, INetwork actual)
    {
        var error = Math.Max(Error(expected.Parameters, actual.Parameters), Error(expected.Buffers, actual.Buffers));
        Assert.True(error < Tolerance, $"{what}: parameters and buffers depart by {error:E2}");
    }

    private static double Error(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual) =>
        DeviceParity.MaxRelativeError(expected.ToArray(), actual.ToArray());

    /// <summary>
    /// Each state buffer's largest difference relative to its largest value: RMSprop's momentum buffer
    /// sums g / √v, which turns a gradient's rounding noise into a relative error of its own size
    /// however small the gradient, so element by element it says nothing about the update.
    /// </summary>
    private static double Error(System.Collections.Generic.IReadOnlyList<OptimizerState> expected, System.Collections.Generic.IReadOnlyList<OptimizerState> actual) =>
        expected.Select((state, i) => state.Values.Zip(actual[i].Values, (e, a) => Math.Abs(e - (double)a)).Max() / state.Values.Max(v => Math.Abs((double)v))).DefaultIfEmpty(0).Max();

    private static INetwork Host(GpuNetwork network) => network;

    private static DataLoader Loader(IDataset data) => new(data, new DataLoaderOptions { BatchSize = 20, Seed = 3, Workers = 1 });

    private static TrainerOptions Options(int epochs, int initialEpoch = 0) =>
        new() { Epochs = epochs, InitialEpoch = initialEpoch, ValidationBatchSize = 24, Output = TextWriter.Null, Progress = ProgressMode.EpochsOnly };
}
