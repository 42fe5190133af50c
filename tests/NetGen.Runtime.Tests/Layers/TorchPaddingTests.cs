using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace NetGen.Runtime.Tests.Layers;

/// <summary>
/// Padded windows in double against PyTorch 1.13 (torch_padding.json, written by
/// tests/reference/record_padding.py): uneven pads on Conv2D (F.pad with zeros, then conv2d) and
/// MaxPool2D (F.pad with −∞, as ONNX pads it), and AvgPool2D with count_include_pad true and false.
/// Each case checks the output and, for the loss Σ upstream ⊙ y, the input gradient (and the
/// convolution's weight and bias gradients).
/// </summary>
public sealed class TorchPaddingTests
{
    private const double Tolerance = 1e-12;

    private static readonly Lazy<JsonElement[]> Cases = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Layers", "torch_padding.json")))
            .RootElement.GetProperty("cases").EnumerateArray().ToArray());

    public static TheoryData<string> Names => new(Cases.Value.Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(Names))]
    public void OutputAndGradientsMatchPyTorch(string name)
    {
        var reference = Cases.Value.Single(c => c.GetProperty("name").GetString() == name);
        var shape = Ints(reference, "shape");
        var pads = Ints(reference, "pads");
        var g = new WindowGeometry(shape[0], shape[1], shape[2], reference.GetProperty("window").GetInt32(), reference.GetProperty("stride").GetInt32(), pads[0], pads[1], pads[2], pads[3]);
        var x = Doubles(reference, "x");
        var upstream = Doubles(reference, "upstream");
        var batch = x.Length / g.InputSize;
        var y = new double[upstream.Length];
        var dx = new double[x.Length];
        var countIncludePad = reference.GetProperty("count_include_pad").GetBoolean();

        switch (reference.GetProperty("layer").GetString())
        {
            case "conv":
                var filters = reference.GetProperty("filters").GetInt32();
                var (weight, bias) = (Doubles(reference, "weight"), Doubles(reference, "bias"));
                var (dweight, dbias) = (new double[weight.Length], new double[bias.Length]);
                Conv2D.Forward<double>(x, weight, bias, y, default, batch, g, filters, Activation.None);
                Conv2D.Backward<double>(upstream, x, weight, dweight, dbias, dx, batch, g, filters, Activation.None, default);
                AssertClose("dweight", dweight, Doubles(reference, "dweight"));
                AssertClose("dbias", dbias, Doubles(reference, "dbias"));
                break;
            case "max":
                MaxPool2D.Forward<double>(x, y, batch, g);
                MaxPool2D.Backward<double>(upstream, x, dx, batch, g, Activation.None, default);
                break;
            case "avg":
                AvgPool2D.Forward<double>(x, y, batch, g, countIncludePad);
                AvgPool2D.Backward<double>(upstream, dx, batch, g, countIncludePad, Activation.None, default);
                break;
            case var other:
                throw new ArgumentException($"Unknown layer '{other}' in torch_padding.json.", nameof(name));
        }

        AssertClose("y", y, Doubles(reference, "y"));
        AssertClose("dx", dx, Doubles(reference, "dx"));
    }

    private static void AssertClose(string tensor, double[] actual, double[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(Math.Abs);
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= Tolerance * scale, $"{tensor}[{i}] {actual[i]:R}, PyTorch {expected[i]:R}");
        }
    }

    private static double[] Doubles(JsonElement reference, string property) =>
        reference.GetProperty(property).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static int[] Ints(JsonElement reference, string property) =>
        reference.GetProperty(property).EnumerateArray().Select(v => v.GetInt32()).ToArray();
}
