using System;
using System.IO;
using System.Text.Json;
using Xunit;
using static NetGen.Runtime.Tests.Networks.TorchGolden;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// Heads over every step of a recurrent layer, generated: a per-step Dense (<c>PerStep = true</c>) and
/// GlobalAveragePool1D, one training step against PyTorch (tests/reference/record_sequence_heads.py: nn.Linear
/// on a [B, steps, hidden] tensor, then mean(dim=1)); logits, loss, every gradient and the input gradient
/// within 1e-5 of each tensor's largest value; and no allocation per step.
/// </summary>
[Collection(TrainingStepAllocationCollection.Name)]
public sealed class SequenceHeadNetworkTests
{
    [Fact]
    public void PerStepDenseAndMeanOverStepsMatchPyTorch()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Layers", "torch_sequence_heads.json")));
        var recorded = golden.RootElement.GetProperty("lstm_per_step_mean");
        var model = new TorchLstmPerStepMean { ComputeInputGradients = true };

        AssertTrainingStep(recorded, model);
    }

    [Fact]
    public void TrainingStepAllocatesNothingAfterWarmUp()
    {
        var model = new TorchLstmPerStepMean();
        var (inputs, labels) = TrainingStepProbe.RandomBatch(model, batch: 16, classes: 3);

        Assert.Equal(0, TrainingStepProbe.AllocatedBytes(model, inputs, labels, steps: 3));
    }
}
