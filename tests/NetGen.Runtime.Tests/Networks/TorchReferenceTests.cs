using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// A whole generated model against PyTorch: same parameters and inputs (from a formula both sides
/// compute), one training step; loss, logits and gradients must agree to float32 precision.
/// Golden values: tests/reference/record_models.py.
/// </summary>
public sealed class TorchReferenceTests
{
    [Fact]
    public void MlpTrainingStepMatchesPyTorch()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Networks", "torch_mlp.json")));
        var mlp = golden.RootElement.GetProperty("mlp");
        var model = new TestMlp();
        foreach (var (parameter, index) in model.ParameterLayout.Select((p, i) => (p, i)))
        {
            Pattern(index + 1, 0.05).AsSpan(0, parameter.Length).CopyTo(model.Parameters.Slice(parameter.Offset, parameter.Length));
        }

        var inputs = Pattern(10, 1.0, 4 * 784);
        var labels = mlp.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray();

        var loss = model.TrainStep(inputs, labels);

        Assert.Equal(mlp.GetProperty("loss").GetDouble(), loss, 1e-5);
        AssertClose(Doubles(mlp.GetProperty("logits")), model.LastOutputs.ToArray());
        var gradients = mlp.GetProperty("gradients");
        AssertClose(Doubles(gradients.GetProperty("output.weight")), model.Output.WeightGradient.ToArray());
        AssertClose(Doubles(gradients.GetProperty("output.bias")), model.Output.BiasGradient!.Value.ToArray());
        AssertClose(Doubles(gradients.GetProperty("hidden.bias")), model.Hidden.BiasGradient!.Value.ToArray());
        var hiddenWeight = model.Hidden.WeightGradient.ToArray();
        AssertClose(Doubles(gradients.GetProperty("hidden.weight.every97")), hiddenWeight.Where((_, i) => i % 97 == 0).ToArray());
        var norm = Math.Sqrt(hiddenWeight.Sum(g => (double)g * g));
        Assert.Equal(gradients.GetProperty("hidden.weight.norm").GetDouble(), norm, 1e-5 * norm);
    }

    // value_i = scale · sin(seed + 0.37 i), as in record_models.py
    private static float[] Pattern(int seed, double scale, int count = 784 * 128) =>
        Enumerable.Range(0, count).Select(i => (float)(scale * Math.Sin(seed + (0.37 * i)))).ToArray();

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= (1e-4 * Math.Abs(expected[i])) + (1e-5 * scale), $"element {i}: PyTorch {expected[i]:G9}, NetGen {actual[i]:G9}");
        }
    }
}
