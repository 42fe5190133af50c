using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Losses;

/// <summary>
/// Every loss, in double, against torch.nn.functional 1.13 (torch_losses.json, written by
/// tests/reference/record_losses.py): the mean loss and autograd's gradient of it.
/// </summary>
public sealed class TorchLossTests
{
    private const double Tolerance = 1e-12;

    private static readonly Lazy<JsonElement[]> Cases = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Losses", "torch_losses.json")))
            .RootElement.GetProperty("cases").EnumerateArray().ToArray());

    public static TheoryData<string> Names => new(Cases.Value.Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(Names))]
    public void LossAndGradientMatchPyTorch(string name)
    {
        var reference = Cases.Value.Single(c => c.GetProperty("name").GetString() == name);
        var inputs = Doubles(reference, "inputs");
        var (rows, columns) = (reference.GetProperty("rows").GetInt32(), reference.GetProperty("columns").GetInt32());
        var labels = reference.TryGetProperty("labels", out var l) ? l.EnumerateArray().Select(v => v.GetInt32()).ToArray() : null;
        var targets = reference.TryGetProperty("targets", out _) ? Doubles(reference, "targets") : null;
        var smoothing = reference.GetProperty("smoothing").GetDouble();
        var gradient = new double[inputs.Length];

        var loss = reference.GetProperty("loss").GetString() switch
        {
            "softmax_cross_entropy" when labels is not null => SoftmaxCrossEntropy.Compute<double>(inputs, labels, gradient, default, rows, columns, smoothing),
            "softmax_cross_entropy" => SoftmaxCrossEntropy.Compute<double>(inputs, targets, gradient, default, rows, columns, smoothing),
            "binary_cross_entropy" when labels is not null => BinaryCrossEntropy.Compute<double>(inputs, labels, gradient, rows),
            "binary_cross_entropy" => BinaryCrossEntropy.Compute<double>(inputs, targets, gradient, rows),
            "mean_squared_error" => MeanSquaredError.Compute<double>(inputs, targets, gradient, inputs.Length),
            "mean_absolute_error" => MeanAbsoluteError.Compute<double>(inputs, targets, gradient, inputs.Length),
            var other => throw new ArgumentException($"Unknown loss '{other}' in torch_losses.json.", nameof(name)),
        };

        var expected = reference.GetProperty("value").GetDouble();
        Assert.True(Math.Abs(loss - expected) <= Tolerance * Math.Abs(expected), $"loss {loss:R}, PyTorch {expected:R}");
        var expectedGradient = Doubles(reference, "gradient");
        for (var i = 0; i < gradient.Length; i++)
        {
            Assert.True(Math.Abs(gradient[i] - expectedGradient[i]) <= Tolerance, $"gradient[{i}] {gradient[i]:R}, PyTorch {expectedGradient[i]:R}");
        }
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void LabelSmoothingOutsideZeroToOneIsRefused(double smoothing)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            SoftmaxCrossEntropy.Compute<double>(new double[4], new[] { 1, 0 }, new double[4], default, 2, 2, smoothing));
        Assert.Equal("labelSmoothing", error.ParamName);
    }

    private static double[] Doubles(JsonElement reference, string property) =>
        reference.GetProperty(property).EnumerateArray().Select(v => v.GetDouble()).ToArray();
}
