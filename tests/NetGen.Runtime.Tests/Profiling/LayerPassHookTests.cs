using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Profiling;
using NetGen.Runtime.Tests.Networks;
using Xunit;

namespace NetGen.Runtime.Tests.Profiling;

/// <summary>
/// The generated passes' <see cref="ILayerPassHook"/> calls, which a per-layer profiler times: every layer
/// once per pass, forward in layer order and backward in reverse, each with its name and forward FLOPs.
/// </summary>
public sealed class LayerPassHookTests
{
    private static readonly string[] MnistCnnLayers = ["conv1", "pool1", "conv2", "pool2", "features", "hidden", "output"];

    [Fact]
    public void A_training_step_reports_every_layer_forward_in_order_then_backward_in_reverse()
    {
        var model = new TestMnistCnn();
        var hook = new RecordingHook();
        model.LayerPassHook = hook;

        Step(model, batch: 3);

        var expected = new List<string> { "start Forward" };
        expected.AddRange(MnistCnnLayers.Select((name, i) => $"Forward {i} {name} ×3"));
        expected.Add("start Backward");
        expected.AddRange(MnistCnnLayers.Select((name, i) => $"Backward {i} {name} ×3").Reverse());
        Assert.Equal(expected, hook.Events);
    }

    [Fact]
    public void Each_layer_reports_the_forward_flops_of_the_summary()
    {
        var model = new TestMnistCnn();
        var hook = new RecordingHook();
        model.LayerPassHook = hook;

        model.Forward(new float[model.InputSize], new float[model.OutputSize]);

        // conv1: 26×26×16 outputs of 9 multiply-adds and a bias; hidden: 128 outputs of 800 and a bias; features: no arithmetic.
        Assert.Equal(26L * 26 * 16 * (2 * 9 + 1), hook.Flops["conv1"]);
        Assert.Equal(128L * ((2 * 800) + 1), hook.Flops["hidden"]);
        Assert.Equal(0, hook.Flops["features"]);
    }

    [Fact]
    public void Training_from_cached_features_reports_the_head_alone_and_the_prefix_reports_itself()
    {
        var model = new FrozenConvBackbone();
        var hook = new RecordingHook();
        model.LayerPassHook = hook;
        var features = new float[2 * model.FrozenFeatureSize];

        model.ForwardFrozenPrefix(new float[2 * model.InputSize], features);
        model.TrainStepFromFeatures(features, [0, 1]);

        Assert.Equal(
            ["start Forward", "Forward 0 conv1 ×2", "Forward 1 pool1 ×2", "Forward 2 conv2 ×2", "Forward 3 features ×2",
             "start Forward", "Forward 4 hidden ×2", "Forward 5 drop ×2", "Forward 6 output ×2",
             "start Backward", "Backward 6 output ×2", "Backward 5 drop ×2", "Backward 4 hidden ×2"],
            hook.Events);
    }

    [Fact]
    public void The_profiler_times_every_layer_and_counts_backward_as_twice_forward_but_for_the_first_layer()
    {
        var model = new TestMnistCnn();
        var profiler = new LayerProfiler();
        model.LayerPassHook = profiler;
        Step(model, batch: 4);
        profiler.Reset();

        Step(model, batch: 4);
        Step(model, batch: 4);

        Assert.Equal(MnistCnnLayers, profiler.Layers.Select(l => l.Name));
        // Flatten ('features') only reinterprets its input, and the pools run in the convolutions' epilogues, so
        // they count no FLOPs of their own: their passes can take less than the timer's tick.
        Assert.Equal([0.0, 0.0], profiler.Layers.Where(l => l.Name.StartsWith("pool", StringComparison.Ordinal)).Select(l => l.ForwardFlops));
        Assert.All(profiler.Layers.Where(l => l.ForwardFlops > 0), l => Assert.True(l.ForwardSeconds > 0 && l.BackwardSeconds > 0, $"{l.Name}: {l.ForwardSeconds} s forward, {l.BackwardSeconds} s backward"));
        var conv1 = profiler.Layers[0];
        var conv2 = profiler.Layers[2];
        Assert.Equal(2 * 4 * 26L * 26 * 16 * ((2 * 9) + 1), conv1.ForwardFlops);
        Assert.Equal(conv1.ForwardFlops, conv1.BackwardFlops);
        Assert.Equal(2 * conv2.ForwardFlops, conv2.BackwardFlops);
    }

    [Fact]
    public void A_step_with_the_profiler_attached_allocates_nothing_after_the_first()
    {
        var model = new TestMnistCnn();
        model.LayerPassHook = new LayerProfiler();
        var inputs = new float[2 * model.InputSize];
        int[] labels = [3, 7];
        model.TrainStep(inputs, labels);

        var before = GC.GetAllocatedBytesForCurrentThread();
        model.TrainStep(inputs, labels);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Step(INetwork model, int batch)
    {
        var random = new SeededRandom(3);
        var inputs = Enumerable.Range(0, batch * model.InputSize).Select(_ => random.NextSingle()).ToArray();
        model.TrainStep(inputs, Enumerable.Range(0, batch).Select(i => i % 10).ToArray());
    }

    private sealed class RecordingHook : ILayerPassHook
    {
        public List<string> Events { get; } = [];

        public Dictionary<string, long> Flops { get; } = [];

        public void PassStarting(LayerPass pass) => Events.Add($"start {pass}");

        public void LayerFinished(LayerPass pass, int layer, string name, long forwardFlopsPerSample, int batch)
        {
            Events.Add($"{pass} {layer} {name} ×{batch}");
            Flops[name] = forwardFlopsPerSample;
        }
    }
}
