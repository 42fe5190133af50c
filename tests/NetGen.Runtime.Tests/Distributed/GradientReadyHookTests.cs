using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Runtime.Tests.Networks;
using Xunit;

namespace NetGen.Runtime.Tests.Distributed;

/// <summary>
/// The generated backward's <see cref="IGradientReadyHook"/> calls, which let a data-parallel trainer
/// all-reduce finished gradients while backward goes on: in backward order, tiling the gradient buffer,
/// and each range already holding the step's final gradients when it is announced.
/// </summary>
public sealed class GradientReadyHookTests
{
    public static TheoryData<string> Networks => ["mnist cnn", "tied vector", "tied images"];

    [Theory]
    [MemberData(nameof(Networks))]
    public void Backward_announces_ranges_from_the_end_that_tile_the_gradients_and_are_final_when_announced(string name)
    {
        var model = Create(name);
        var hook = new RecordingHook(model);
        ((IGradientReadySource)model).GradientReadyHook = hook;

        Step(model);

        var end = model.Gradients.Length;
        Assert.True(hook.Ranges.Count > 1, $"{name}: backward announced {hook.Ranges.Count} ranges; every layer with parameters finishes one");
        foreach (var (offset, length, values) in hook.Ranges)
        {
            Assert.True(length > 0 && offset + length == end, $"{name}: [{offset}, {offset + length}) announced where the previous range began at {end}");
            Assert.Equal(model.Gradients.Slice(offset, length).ToArray(), values);
            end = offset;
        }

        Assert.Equal(0, end);
    }

    [Fact]
    public void A_backward_stopped_by_a_frozen_first_layer_leaves_its_gradients_unannounced()
    {
        var model = new TestMnistCnn();
        model.SetFrozen("conv1", frozen: true);
        var hook = new RecordingHook(model);
        model.GradientReadyHook = hook;

        Step(model);

        var conv1 = model.ParameterLayout.Where(p => p.Name.StartsWith("conv1.", StringComparison.Ordinal)).Sum(p => p.Length);
        Assert.Equal(conv1, hook.Ranges.Min(range => range.Offset));
    }

    [Fact]
    public void Without_a_hook_backward_calls_nothing_and_trains_as_before()
    {
        var hooked = new TestMnistCnn();
        hooked.GradientReadyHook = new RecordingHook(hooked);
        var plain = new TestMnistCnn();

        Step(hooked);
        Step(plain);

        Assert.Null(plain.GradientReadyHook);
        Assert.Equal(plain.Gradients.ToArray(), hooked.Gradients.ToArray());
    }

    private static INetwork Create(string name) => name switch
    {
        "mnist cnn" => new TestMnistCnn(),
        "tied vector" => new TestTiedVector(),
        "tied images" => new TestTiedImages(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a test network"),
    };

    private static void Step(INetwork model)
    {
        const int batch = 3;
        var random = new SeededRandom(4);
        var inputs = Enumerable.Range(0, batch * model.InputSize).Select(_ => random.NextSingle() - 0.5f).ToArray();
        if (model.Loss == Loss.SoftmaxCrossEntropy)
        {
            model.TrainStep(inputs, Enumerable.Range(0, batch).Select(i => i % model.OutputSize).ToArray());
        }
        else
        {
            model.TrainStep(inputs, Enumerable.Range(0, batch * model.OutputSize).Select(_ => random.NextSingle()).ToArray());
        }
    }

    /// <summary>Keeps each announced range with a copy of its gradients at the moment of the call.</summary>
    private sealed class RecordingHook(INetwork model) : IGradientReadyHook
    {
        public List<(int Offset, int Length, float[] Values)> Ranges { get; } = [];

        public void GradientReady(int offset, int length) => Ranges.Add((offset, length, model.Gradients.Slice(offset, length).ToArray()));
    }
}
