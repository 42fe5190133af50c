using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using static NetGen.Runtime.Tests.Networks.TorchGolden;

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
    private const double Tolerance = TorchGolden.Tolerance;

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
}
