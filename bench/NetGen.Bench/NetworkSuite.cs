using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Kernels;
using NetGen.Optimizers;
using NetGen.Profiling;

namespace NetGen.Bench;

/// <summary>Training and inference throughput of the reference's networks, each step as the reference times it (forward, backward, optimizer).</summary>
internal static class NetworkSuite
{
    public static IEnumerable<Measurement> Run(int threads, Settings settings, ISet<string> only)
    {
        Gemm.MaxThreads = threads;
        if (only.Contains("mlp"))
        {
            foreach (var batch in new[] { 64, 256 })
            {
                var model = new BenchMlp();
                yield return Train($"mlp_train_b{batch}", threads, settings, model, new Sgd(model, 0.01f), batch, 10);
            }
        }

        foreach (var measurement in ConvolutionalSuite.Run(threads, settings, only))
        {
            yield return measurement;
        }

        Gemm.MaxThreads = Environment.ProcessorCount;
    }

    /// <summary>Samples per second of TrainStep + optimizer step on random inputs and labels.</summary>
    public static Measurement Train(string name, int threads, Settings settings, INetwork model, Optimizer optimizer, int batch, int classes)
    {
        var (inputs, labels) = RandomBatch(model, batch, classes);
        var (seconds, others) = Timing.MedianSecondsPerIteration(
            () =>
            {
                model.TrainStep(inputs, labels);
                optimizer.Step(model);
            },
            settings.Target,
            settings.Repeats,
            settings.Warmup);
        // The reference's nominal count: forward, and twice that for backward (3 × 2 × multiply-adds).
        return new Measurement(name, threads, batch / seconds, "samples/s") { Gflops = 3 * ForwardFlopsPerSample(model) * batch / seconds / 1e9, OtherCores = others };
    }

    /// <summary>Inference throughput, or latency in µs for batch 1.</summary>
    public static Measurement Infer(string name, int threads, Settings settings, INetwork model, int batch)
    {
        var (inputs, _) = RandomBatch(model, batch, 2);
        var outputs = new float[batch * model.OutputSize];
        var (seconds, others) = Timing.MedianSecondsPerIteration(() => model.Forward(inputs, outputs), settings.Target, settings.Repeats, settings.Warmup);
        var gflops = ForwardFlopsPerSample(model) * batch / seconds / 1e9;
        return batch == 1
            ? new Measurement(name, threads, seconds * 1e6, "µs", LowerIsBetter: true) { Gflops = gflops, OtherCores = others }
            : new Measurement(name, threads, batch / seconds, "samples/s") { Gflops = gflops, OtherCores = others };
    }

    /// <summary>The network's forward FLOPs per sample, as its layers report them to a profiler over one sample's forward.</summary>
    private static double ForwardFlopsPerSample(INetwork model)
    {
        var profiler = new LayerProfiler();
        ((ILayerPassSource)model).LayerPassHook = profiler;
        model.Forward(new float[model.InputSize], new float[model.OutputSize]);
        ((ILayerPassSource)model).LayerPassHook = null;
        return profiler.Layers.Sum(l => l.ForwardFlops);
    }

    /// <summary>Random inputs in [0, 1) and random labels below <paramref name="classes"/>, the same for every suite.</summary>
    internal static (float[] Inputs, int[] Labels) RandomBatch(INetwork model, int batch, int classes)
    {
        var random = new SeededRandom(7);
        var inputs = new float[batch * model.InputSize];
        var labels = new int[batch];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = random.NextSingle();
        }

        for (var i = 0; i < batch; i++)
        {
            labels[i] = random.NextInt(classes);
        }

        return (inputs, labels);
    }
}
