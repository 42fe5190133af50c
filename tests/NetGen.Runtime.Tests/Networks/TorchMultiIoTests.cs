using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using static NetGen.Runtime.Tests.Networks.TorchGolden;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// A network with two inputs and three weighted losses (<see cref="TestMultiIo"/>) against PyTorch: the
/// parameters PyTorch started from, loaded by state_dict name, one training step on the same batch; each
/// loss, the weighted total, the outputs, every parameter gradient and the gradient of each input must
/// agree within 1e-5 of the tensor's largest value. Golden values: tests/reference/record_multiio.py
/// (computed in float64).
/// </summary>
public sealed class TorchMultiIoTests
{
    [Fact]
    public void WeightedMultiOutputTrainingStepMatchesPyTorch()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Networks", "torch_multiio.json")));
        var reference = golden.RootElement.GetProperty("multiio");
        var model = new TestMultiIo { ComputeInputGradients = true };
        Load(reference.GetProperty("parameters"), model.ParameterLayout, model.Parameters);
        var image = Floats(reference.GetProperty("image"));
        var metadata = Floats(reference.GetProperty("metadata"));
        var digitLabels = Ints(reference.GetProperty("digit_labels"));
        var scoreTargets = Floats(reference.GetProperty("score_targets"));
        var parityLabels = Ints(reference.GetProperty("parity_labels"));

        var losses = model.TrainStep(image, metadata, digitLabels, scoreTargets, parityLabels);

        var expected = reference.GetProperty("losses");
        AssertLoss(reference.GetProperty("total"), losses.Total);
        AssertLoss(expected.GetProperty("digit"), losses.Digit);
        AssertLoss(expected.GetProperty("score"), losses.Score);
        AssertLoss(expected.GetProperty("parity"), losses.Parity);
        AssertEachClose(reference.GetProperty("gradients"), model.ParameterLayout, model.Gradients);
        AssertClose("image gradient", Doubles(reference.GetProperty("image_gradient")), model.InputGradientsOf(model.Image));
        AssertClose("metadata gradient", Doubles(reference.GetProperty("metadata_gradient")), model.InputGradientsOf(model.Metadata));

        var outputs = reference.GetProperty("outputs");
        var (digit, score, parity) = (new float[3 * 4], new float[3 * 2], new float[3]);
        model.Forward(image, metadata, digit, score, parity);
        AssertClose("digit", Doubles(outputs.GetProperty("digit")), digit);
        AssertClose("score", Doubles(outputs.GetProperty("score")), score);
        AssertClose("parity", Doubles(outputs.GetProperty("parity")), parity);
    }

    private static void AssertLoss(JsonElement expected, float actual) =>
        Assert.Equal(expected.GetDouble(), actual, Tolerance * expected.GetDouble());

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
