using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using NetGen.Kernels;
using NetGen.Optimizers;

namespace NetGen.Bench;

/// <summary>
/// Issue 15's scaling target (2-core training ≥ 1.8× the 1-core figure, MNIST CNN and Chollet convnet) judged in
/// one stretch of time: rounds of one repeat on 1 core then one on 2, each side's best round kept. The table's
/// 1-core and 2-core rows run minutes apart, and this shared machine's speed drifts by tens of percent between
/// them (docs/benchmarks.md), which a ratio of those rows measures as much as the code.
/// </summary>
internal static class ScalingSuite
{
    public static string Run(Settings settings, ISet<string> only)
    {
        if (Environment.ProcessorCount < 2)
        {
            return "2-core scaling: not measured, this machine has one core.\n";
        }

        var builder = new StringBuilder();
        builder.AppendLine(string.Create(CultureInfo.InvariantCulture, $"2-core scaling of training, 1 core and 2 cores alternately, best of {settings.Repeats} rounds each:\n"));
        builder.AppendLine("| benchmark | 1 core | 2 cores | 2-core / 1-core | load (other cores) |");
        builder.AppendLine("|---|---:|---:|---:|---:|");
        if (only.Contains("cnn"))
        {
            var cnn = new BenchCnn();
            Row(builder, "cnn_train_b64", cnn, new Adam(cnn, 1e-3f), 64, 10, settings);
        }

        if (only.Contains("chollet"))
        {
            var chollet = new BenchChollet();
            Row(builder, "chollet_train_b32", chollet, new RmsProp(chollet, 1e-4f, alpha: 0.9, epsilon: 1e-7), 32, 2, settings with { Target = settings.Target * 2 });
        }

        Gemm.MaxThreads = Environment.ProcessorCount;
        return builder.ToString();
    }

    /// <summary>The step as <see cref="NetworkSuite.Train"/> times it, on each core count in turn.</summary>
    private static void Row(StringBuilder builder, string name, INetwork model, Optimizer optimizer, int batch, int classes, Settings settings)
    {
        var (inputs, labels) = NetworkSuite.RandomBatch(model, batch, classes);
        void Step()
        {
            model.TrainStep(inputs, labels);
            optimizer.Step(model);
        }

        int[] cores = [1, 2];
        var iterations = new int[cores.Length];
        for (var c = 0; c < cores.Length; c++)
        {
            Gemm.MaxThreads = cores[c];
            iterations[c] = Timing.Calibrate(Step, settings.Target, settings.Warmup);
        }

        var best = new[] { double.MaxValue, double.MaxValue };
        var load = new MachineLoad();
        for (var round = 0; round < settings.Repeats; round++)
        {
            for (var c = 0; c < cores.Length; c++)
            {
                Gemm.MaxThreads = cores[c];
                best[c] = Math.Min(best[c], Timing.SecondsPerIteration(Step, iterations[c]));
            }
        }

        builder.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {batch / best[0]:N0} samples/s | {batch / best[1]:N0} samples/s | {best[0] / best[1]:0.00}× | {load.OtherCores():0.00} |"));
    }
}
