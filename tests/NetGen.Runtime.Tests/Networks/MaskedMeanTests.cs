using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using static NetGen.Runtime.Tests.Networks.TorchGolden;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// <c>[GlobalAveragePool1D(MaskPadding = true)]</c>: the mean over each sample's real steps. One training step
/// against PyTorch's packed LSTM and a sum over the steps divided by each length (record_masked_mean.py; logits,
/// loss and every gradient within 1e-5 of each tensor's largest value); the padding changes neither the output
/// nor any gradient; a sample of padding only is an error naming the layer; a step allocates nothing.
/// </summary>
[Collection(TrainingStepAllocationCollection.Name)]
public sealed class MaskedMeanTests
{
    [Fact]
    public void MaskedMeanTrainingStepMatchesPyTorch()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Layers", "torch_masked_mean.json")));
        var recorded = golden.RootElement.GetProperty("embedding_masked_mean");
        var model = new TorchEmbeddingMaskedMean();
        Load(recorded.GetProperty("parameters"), model.ParameterLayout, model.Parameters);

        var loss = model.TrainStep(Floats(recorded.GetProperty("inputs")), recorded.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray());

        Assert.Equal(recorded.GetProperty("loss").GetDouble(), loss, Tolerance * recorded.GetProperty("loss").GetDouble());
        AssertClose("logits", Doubles(recorded.GetProperty("logits")), model.LastOutputs);
        AssertEachClose(recorded.GetProperty("gradients"), model.ParameterLayout, model.Gradients);
    }

    [Fact]
    public void PaddingChangesNeitherTheOutputNorAnyGradient()
    {
        // Ids 4, 7, 1 padded to 7 steps through the masked mean, against the same 3 ids unpadded through a plain
        // mean of 3 steps with the same parameters: the padded steps hold the per-step Dense's tanh(bias), which
        // an unmasked mean would count.
        var masked = new TokenPerStepMaskedMean();
        var unpadded = new TokenPerStepMeanOfThree();
        masked.Parameters.CopyTo(unpadded.Parameters);
        float[] padded = [4, 7, 1, 0, 0, 0, 0, 2, 5, 5, 9, 6, 1, 3];
        float[] real = [4, 7, 1, 4, 7, 1];
        float[] maskedOutputs = new float[6], unpaddedOutputs = new float[6];

        masked.Forward(padded, maskedOutputs);
        unpadded.Forward(real, unpaddedOutputs);
        masked.TrainStep(padded[..7], [2]);
        unpadded.TrainStep(real[..3], [2]);

        AssertClose("outputs of the padded sample", unpaddedOutputs[..3].Select(v => (double)v).ToArray(), maskedOutputs.AsSpan(0, 3));
        Assert.Equal(unpadded.ParameterLayout.Select(t => t.Name), masked.ParameterLayout.Select(t => t.Name));
        foreach (var tensor in masked.ParameterLayout)
        {
            var expected = unpadded.Gradients.Slice(tensor.Offset, tensor.Length).ToArray().Select(v => (double)v).ToArray();
            AssertClose(tensor.Name, expected, masked.Gradients.Slice(tensor.Offset, tensor.Length));
        }
    }

    [Fact]
    public void SampleOfPaddingOnlyIsAnErrorNamingTheLayer()
    {
        var model = new TokenPerStepMaskedMean();

        var error = Assert.Throws<ArgumentException>(() => model.Forward([3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], new float[6]));

        Assert.StartsWith("Layer 'mean': sample 1 holds only the padding id 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainingStepAllocatesNothingAfterWarmUp()
    {
        var model = new TorchEmbeddingMaskedMean();
        float[] inputs = [4, 7, 10, 0, 0, 0, 2, 5, 5, 9, 6, 1, 3, 0, 0, 0, 0, 0, 0, 1, 0, 3, 7, 0];

        Assert.Equal(0, TrainingStepProbe.AllocatedBytes(model, inputs, [1, 0, 2, 2], steps: 3));
    }
}
