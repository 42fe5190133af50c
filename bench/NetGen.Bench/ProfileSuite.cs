using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using NetGen.Kernels;
using NetGen.Optimizers;
using NetGen.Profiling;

namespace NetGen.Bench;

/// <summary>
/// Where a training step's time goes, layer by layer: the MNIST CNN (b64, Adam) and Chollet's convnet
/// (b32, RMSprop) on 1 and 2 cores, timed by a <see cref="LayerProfiler"/> on the generated network's pass hook.
/// </summary>
internal static class ProfileSuite
{
    public static string Run(Settings settings, double fmaPeak)
    {
        var builder = new StringBuilder();
        foreach (var threads in new[] { 1, 2 })
        {
            var cnn = new BenchCnn();
            Profile(builder, "MNIST CNN, train b64 (Adam)", cnn, new Adam(cnn, 1e-3f), 64, 10, threads, settings, fmaPeak);
            var chollet = new BenchChollet();
            Profile(builder, "Chollet convnet, train b32 (RMSprop)", chollet, new RmsProp(chollet, 1e-4f, alpha: 0.9, epsilon: 1e-7), 32, 2, threads, settings with { Target = settings.Target * 2 }, fmaPeak);
        }

        Gemm.MaxThreads = Environment.ProcessorCount;
        return builder.ToString();
    }

    private static void Profile(StringBuilder builder, string title, INetwork model, Optimizer optimizer, int batch, int classes, int threads, Settings settings, double fmaPeak)
    {
        Gemm.MaxThreads = threads;
        var random = new SeededRandom(7);
        var inputs = Enumerable.Range(0, batch * model.InputSize).Select(_ => random.NextSingle()).ToArray();
        var labels = Enumerable.Range(0, batch).Select(_ => random.NextInt(classes)).ToArray();
        var profiler = new LayerProfiler();
        ((ILayerPassSource)model).LayerPassHook = profiler;
        Timing.WarmUp(
            () =>
            {
                model.TrainStep(inputs, labels);
                optimizer.Step(model);
            },
            settings.Warmup);
        profiler.Reset();
        var load = new MachineLoad();
        var clock = Stopwatch.StartNew();
        var steps = 0;
        for (; steps < 3 || clock.Elapsed.TotalSeconds < settings.Target * settings.Repeats; steps++)
        {
            model.TrainStep(inputs, labels);
            optimizer.Step(model);
        }

        var step = clock.Elapsed.TotalSeconds / steps;
        ((ILayerPassSource)model).LayerPassHook = null;
        var peak = fmaPeak * threads;
        builder.AppendLine(string.Create(CultureInfo.InvariantCulture, $"**{title}, {threads} core{(threads == 1 ? string.Empty : "s")}**: {step * 1e3:0.00} ms a step over {steps} steps ({batch / step:N0} samples/s; other processes used {load.OtherCores():0.00} cores meanwhile).\n"));
        builder.AppendLine("| layer | forward ms | forward GFLOP/s (of peak) | backward ms | backward GFLOP/s (of peak) | share of the step |");
        builder.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var layer in profiler.Layers)
        {
            builder.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {layer.Name} | {1e3 * layer.ForwardSeconds / steps:0.000} | {Rate(layer.ForwardGflops, peak)} | {1e3 * layer.BackwardSeconds / steps:0.000} | {Rate(layer.BackwardGflops, peak)} | {(layer.ForwardSeconds + layer.BackwardSeconds) / steps / step:P1} |"));
        }

        var layers = profiler.Layers.Sum(l => l.ForwardSeconds + l.BackwardSeconds) / steps;
        builder.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| loss and optimizer | | | | | {(step - layers) / step:P1} |"));
        builder.AppendLine();
    }

    private static string Rate(double gflops, double peak) => gflops == 0
        ? "–"
        : string.Create(CultureInfo.InvariantCulture, $"{gflops:0.0} ({100 * gflops / peak:F0} %)");
}
