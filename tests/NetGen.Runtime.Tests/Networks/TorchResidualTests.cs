using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// A residual network (identity skip, 1×1 projection, Concat, BatchNorm in training mode) against
/// PyTorch: the parameters and running statistics PyTorch started from, loaded by state_dict name,
/// one training step on the same batch; the logits, loss, every parameter gradient, the running
/// statistics after the step and the input gradient must each agree within 1e-5 of the tensor's
/// largest value. Golden values: tests/reference/record_residual.py (computed in float64).
/// </summary>
public sealed class TorchResidualTests
{
    internal const double Tolerance = 1e-5;

    [Fact]
    public void ResidualTrainingStepMatchesPyTorch()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Networks", "torch_residual.json")));
        var residual = golden.RootElement.GetProperty("residual");
        var model = new TorchResidual { ComputeInputGradients = true };
        Load(residual.GetProperty("parameters"), model.ParameterLayout, model.Parameters);
        Load(residual.GetProperty("buffers"), model.BufferLayout, model.Buffers);

        var loss = model.TrainStep(Floats(residual.GetProperty("inputs")), residual.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray());

        Assert.Equal(residual.GetProperty("loss").GetDouble(), loss, Tolerance * residual.GetProperty("loss").GetDouble());
        AssertClose("logits", Doubles(residual.GetProperty("logits")), model.LastOutputs);
        AssertEachClose(residual.GetProperty("gradients"), model.ParameterLayout, model.Gradients);
        AssertEachClose(residual.GetProperty("buffers_after_step"), model.BufferLayout, model.Buffers);
        AssertClose("input gradient", Doubles(residual.GetProperty("input_gradient")), model.InputGradients);
    }

    // Shared with TorchTiedTests. Every tensor the network lays out must be in the golden file and the other way round, so a
    // renamed or missing layer fails here instead of being skipped.
    internal static void Load(JsonElement tensors, IReadOnlyList<ParameterInfo> layout, Span<float> destination)
    {
        Assert.Equal(tensors.EnumerateObject().Select(t => t.Name).Order(), layout.Select(t => t.Name).Order());
        foreach (var tensor in layout)
        {
            var values = Floats(tensors.GetProperty(tensor.Name));
            Assert.True(values.Length == tensor.Length, $"{tensor.Name}: PyTorch has {values.Length} values, NetGen {tensor.Length}");
            values.CopyTo(destination.Slice(tensor.Offset, tensor.Length));
        }
    }

    internal static void AssertEachClose(JsonElement tensors, IReadOnlyList<ParameterInfo> layout, ReadOnlySpan<float> actual)
    {
        Assert.Equal(tensors.EnumerateObject().Select(t => t.Name).Order(), layout.Select(t => t.Name).Order());
        foreach (var tensor in layout)
        {
            AssertClose(tensor.Name, Doubles(tensors.GetProperty(tensor.Name)), actual.Slice(tensor.Offset, tensor.Length));
        }
    }

    internal static void AssertClose(string tensor, double[] expected, ReadOnlySpan<float> actual)
    {
        Assert.True(expected.Length == actual.Length, $"{tensor}: PyTorch has {expected.Length} values, NetGen {actual.Length}");
        var bound = Tolerance * expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= bound, $"{tensor}[{i}]: PyTorch {expected[i]:G9}, NetGen {actual[i]:G9} (allowed ±{bound:G3})");
        }
    }

    internal static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    internal static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
}
