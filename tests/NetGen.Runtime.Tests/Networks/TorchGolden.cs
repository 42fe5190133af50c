using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>Loading and comparing the golden tensors recorded by tests/reference/*.py: each tensor within 1e-5 of its largest value.</summary>
internal static class TorchGolden
{
    public const double Tolerance = 1e-5;

    // Every tensor the network lays out must be in the golden file and the other way round, so a
    // renamed or missing layer fails here instead of being skipped.
    public static void Load(JsonElement tensors, IReadOnlyList<ParameterInfo> layout, Span<float> destination)
    {
        Assert.Equal(tensors.EnumerateObject().Select(t => t.Name).Order(), layout.Select(t => t.Name).Order());
        foreach (var tensor in layout)
        {
            var values = Floats(tensors.GetProperty(tensor.Name));
            Assert.True(values.Length == tensor.Length, $"{tensor.Name}: PyTorch has {values.Length} values, NetGen {tensor.Length}");
            values.CopyTo(destination.Slice(tensor.Offset, tensor.Length));
        }
    }

    public static void AssertEachClose(JsonElement tensors, IReadOnlyList<ParameterInfo> layout, ReadOnlySpan<float> actual)
    {
        Assert.Equal(tensors.EnumerateObject().Select(t => t.Name).Order(), layout.Select(t => t.Name).Order());
        foreach (var tensor in layout)
        {
            AssertClose(tensor.Name, Doubles(tensors.GetProperty(tensor.Name)), actual.Slice(tensor.Offset, tensor.Length));
        }
    }

    public static void AssertClose(string tensor, double[] expected, ReadOnlySpan<float> actual)
    {
        Assert.True(expected.Length == actual.Length, $"{tensor}: PyTorch has {expected.Length} values, NetGen {actual.Length}");
        var bound = Tolerance * expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= bound, $"{tensor}[{i}]: PyTorch {expected[i]:G9}, NetGen {actual[i]:G9} (allowed ±{bound:G3})");
        }
    }

    /// <summary>
    /// One training step of <paramref name="model"/> (input gradients on) from the recorded parameters, inputs
    /// and labels of <c>golden.classifier_step</c>: the loss, logits, every parameter gradient and the input
    /// gradient must each match.
    /// </summary>
    public static void AssertTrainingStep(JsonElement recorded, INetwork model)
    {
        Load(recorded.GetProperty("parameters"), model.ParameterLayout, model.Parameters);

        var loss = model.TrainStep(Floats(recorded.GetProperty("inputs")), recorded.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray());

        Assert.Equal(recorded.GetProperty("loss").GetDouble(), loss, Tolerance * recorded.GetProperty("loss").GetDouble());
        AssertClose("logits", Doubles(recorded.GetProperty("logits")), model.LastOutputs);
        AssertEachClose(recorded.GetProperty("gradients"), model.ParameterLayout, model.Gradients);
        AssertClose("input gradient", Doubles(recorded.GetProperty("input_gradient")), model.InputGradients);
    }

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
}
