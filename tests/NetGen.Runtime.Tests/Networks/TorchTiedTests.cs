using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// A network with shared weights against PyTorch: a Conv2D + BatchNorm encoder called on the image and
/// on its 2×2 average, and a Dense called twice in depth. The state_dict holds each shared tensor once;
/// one training step on the same batch must give the logits, loss, every parameter gradient (each the
/// sum over its module's calls), the running statistics (updated by each call in turn) and the input
/// gradient within 1e-5 of each tensor's largest value. Golden values: tests/reference/record_tied.py.
/// </summary>
public sealed class TorchTiedTests
{
    [Fact]
    public void TiedTrainingStepMatchesPyTorch()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Networks", "torch_tied.json")));
        var tied = golden.RootElement.GetProperty("tied");
        var model = new TorchTied { ComputeInputGradients = true };
        TorchGolden.Load(tied.GetProperty("parameters"), model.ParameterLayout, model.Parameters);
        TorchGolden.Load(tied.GetProperty("buffers"), model.BufferLayout, model.Buffers);

        var loss = model.TrainStep(TorchGolden.Floats(tied.GetProperty("inputs")), tied.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray());

        Assert.Equal(tied.GetProperty("loss").GetDouble(), loss, TorchGolden.Tolerance * tied.GetProperty("loss").GetDouble());
        TorchGolden.AssertClose("logits", TorchGolden.Doubles(tied.GetProperty("logits")), model.LastOutputs);
        TorchGolden.AssertEachClose(tied.GetProperty("gradients"), model.ParameterLayout, model.Gradients);
        TorchGolden.AssertEachClose(tied.GetProperty("buffers_after_step"), model.BufferLayout, model.Buffers);
        TorchGolden.AssertClose("input gradient", TorchGolden.Doubles(tied.GetProperty("input_gradient")), model.InputGradients);
    }
}
