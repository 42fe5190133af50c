using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using static NetGen.Runtime.Tests.Networks.TorchGolden;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// Stacked recurrent layers (<c>NumLayers</c>, <c>Dropout</c>): one training step of a generated network
/// against torch.nn.LSTM/GRU(num_layers=2, also bidirectional) loaded by state_dict name one to one (tests/reference/record_stacked.py;
/// logits, loss, every gradient and the input gradient within 1e-5 of each tensor's largest value), and
/// what a stack is as one layer: its state_dict names, freezing it by name, dropout only in training.
/// </summary>
[Collection(TrainingStepAllocationCollection.Name)]
public sealed class StackedRecurrentNetworkTests
{
    [Theory]
    [InlineData("lstm_two_layers")]
    [InlineData("gru_two_layers_sequences")]
    [InlineData("lstm_two_layers_bidirectional")]
    public void TrainingStepMatchesPyTorch(string network)
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Layers", "torch_stacked.json")));
        var recorded = golden.RootElement.GetProperty(network);
        INetwork model = network switch
        {
            "lstm_two_layers" => new TorchLstmTwoLayers { ComputeInputGradients = true },
            "gru_two_layers_sequences" => new TorchGruTwoLayersSequences { ComputeInputGradients = true },
            _ => new TorchLstmTwoLayersBidirectional { ComputeInputGradients = true },
        };

        AssertTrainingStep(recorded, model);
    }

    [Fact]
    public void StackIsOneLayerInTheStateDictWithEachLayersTensors()
    {
        var model = new RnnThreeLayersDropout();

        Assert.Equal(
            new[] { "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1", "rnn.weight_ih_l2", "rnn.weight_hh_l2", "rnn.bias_ih_l2", "rnn.bias_hh_l2", "classifier.weight", "classifier.bias" },
            model.ParameterLayout.Select(t => t.Name).ToArray());
        // weight_ih_l0 reads the 6 features, the layers above read the 4 hidden values below them.
        Assert.Equal(4 * 6, model.ParameterLayout[0].Length);
        Assert.Equal(4 * 4, model.ParameterLayout[4].Length);
        Assert.Equal((24 + 16 + 8) + (2 * (16 + 16 + 8)) + 15, RnnThreeLayersDropout.Layout.ParameterCount);
    }

    [Fact]
    public void FreezingTheStackByNameFreezesEveryLayerOfIt()
    {
        var model = new RnnThreeLayersDropout();
        var (inputs, labels) = TrainingStepProbe.RandomBatch(model, batch: 4, classes: 3);
        model.SetFrozen("rnn", true);

        model.TrainStep(inputs, labels);

        var classifier = model.ParameterLayout.First(t => t.Name == "classifier.weight").Offset;
        Assert.All(model.Gradients[..classifier].ToArray(), g => Assert.Equal(0f, g));
        Assert.Contains(model.Gradients[classifier..].ToArray(), g => g != 0);
        Assert.Equal(new[] { new ParameterRange(classifier, 15) }, model.TrainableRanges);
        Assert.True(model.IsFrozen("rnn"));
    }

    [Fact]
    public void DropoutBetweenLayersActsInTrainingOnly()
    {
        var model = new RnnThreeLayersDropout();
        var (inputs, labels) = TrainingStepProbe.RandomBatch(model, batch: 8, classes: 3);
        var before = new float[8 * 3];
        model.Forward(inputs, before);

        model.TrainStep(inputs, labels);
        var training = model.LastOutputs.ToArray();
        var after = new float[8 * 3];
        model.Forward(inputs, after);

        // The step changed no parameter yet (no optimizer ran), so inference is the same twice, and training differs by the dropped values.
        Assert.Equal(before, after);
        Assert.NotEqual(before, training);
    }

    [Fact]
    public void TrainingStepAllocatesNothingAfterWarmUp()
    {
        var model = new RnnThreeLayersDropout();
        var (inputs, labels) = TrainingStepProbe.RandomBatch(model, batch: 16, classes: 3);

        Assert.Equal(0, TrainingStepProbe.AllocatedBytes(model, inputs, labels, steps: 3));
    }
}
