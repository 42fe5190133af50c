using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// Generated networks with LSTM, GRU, SimpleRNN and Embedding layers: one training step against torch.nn.LSTM, GRU, RNN and Embedding
/// loaded by state_dict name (tests/reference/record_recurrent.py: the last step, every step, two stacked LSTMs, bidirectional; logits, loss,
/// every gradient and the input gradient within 1e-5 of each tensor's largest value), token ids checked,
/// and training steps of LSTM, GRU, SimpleRNN (also bidirectional, also over a padded batch) and Embedding networks that allocate nothing.
/// </summary>
[Collection(TrainingStepAllocationCollection.Name)]
public sealed class RecurrentNetworkTests
{
    private const double Tolerance = 1e-5;

    public static TheoryData<string> GoldenNetworks => new() { "last", "sequences", "stacked", "gru_last", "gru_sequences", "rnn_tanh_last", "rnn_relu_sequences", "lstm_bidirectional_last", "lstm_bidirectional_sequences", "gru_bidirectional_last", "rnn_bidirectional_last" };

    [Theory]
    [MemberData(nameof(GoldenNetworks))]
    public void LstmTrainingStepMatchesPyTorch(string network)
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Layers", "torch_recurrent.json")));
        var recorded = golden.RootElement.GetProperty(network);
        INetwork model = network switch
        {
            "last" => new TorchLstmLast { ComputeInputGradients = true },
            "sequences" => new TorchLstmSequences { ComputeInputGradients = true },
            "stacked" => new TorchLstmStacked { ComputeInputGradients = true },
            "gru_last" => new TorchGruLast { ComputeInputGradients = true },
            "gru_sequences" => new TorchGruSequences { ComputeInputGradients = true },
            "rnn_tanh_last" => new TorchRnnTanhLast { ComputeInputGradients = true },
            "lstm_bidirectional_last" => new TorchLstmBidirectionalLast { ComputeInputGradients = true },
            "lstm_bidirectional_sequences" => new TorchLstmBidirectionalSequences { ComputeInputGradients = true },
            "gru_bidirectional_last" => new TorchGruBidirectionalLast { ComputeInputGradients = true },
            "rnn_bidirectional_last" => new TorchRnnBidirectionalLast { ComputeInputGradients = true },
            _ => new TorchRnnReluSequences { ComputeInputGradients = true },
        };
        Load(recorded, model);

        var loss = model.TrainStep(Floats(recorded.GetProperty("inputs")), recorded.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray());

        Assert.Equal(recorded.GetProperty("loss").GetDouble(), loss, Tolerance * recorded.GetProperty("loss").GetDouble());
        AssertClose("logits", recorded.GetProperty("logits"), model.LastOutputs);
        foreach (var tensor in model.ParameterLayout)
        {
            AssertClose(tensor.Name, recorded.GetProperty("gradients").GetProperty(tensor.Name), model.Gradients.Slice(tensor.Offset, tensor.Length));
        }

        AssertClose("input gradient", recorded.GetProperty("input_gradient"), model.InputGradients);
    }

    [Theory]
    [InlineData("embedding")]
    [InlineData("embedding_padded")]
    [InlineData("embedding_masked")]
    [InlineData("embedding_masked_stacked")]
    [InlineData("embedding_masked_stacked_sequences")]
    public void EmbeddingTrainingStepMatchesPyTorch(string network)
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Layers", "torch_recurrent.json")));
        var recorded = golden.RootElement.GetProperty(network);
        INetwork model = network switch
        {
            "embedding" => new TorchEmbeddingLstm(),
            "embedding_padded" => new TorchEmbeddingPadded(),
            "embedding_masked_stacked" => new TorchEmbeddingMaskedStack(),
            "embedding_masked_stacked_sequences" => new TorchEmbeddingMaskedStackSequences(),
            _ => new TorchEmbeddingMasked(),
        };
        Load(recorded, model);

        var loss = model.TrainStep(Floats(recorded.GetProperty("inputs")), recorded.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray());

        Assert.Equal(recorded.GetProperty("loss").GetDouble(), loss, Tolerance * recorded.GetProperty("loss").GetDouble());
        AssertClose("logits", recorded.GetProperty("logits"), model.LastOutputs);
        foreach (var tensor in model.ParameterLayout)
        {
            AssertClose(tensor.Name, recorded.GetProperty("gradients").GetProperty(tensor.Name), model.Gradients.Slice(tensor.Offset, tensor.Length));
        }
    }

    [Fact]
    public void SampleOfPaddingOnlyIsAnErrorNamingTheLayer()
    {
        var model = new TorchEmbeddingMasked();
        float[] inputs = [4, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

        var error = Assert.Throws<ArgumentException>(() => model.Forward(inputs, new float[2 * 3]));

        Assert.StartsWith("Layer 'lstm': sample 1 holds only the padding id 0, so it has no step to read; every sequence needs at least one token.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PaddingRowStartsAtZero()
    {
        var model = new TorchEmbeddingPadded();

        Assert.All(model.Embedding.Weight.ToArray()[..4], value => Assert.Equal(0f, value));
        Assert.Contains(model.Embedding.Weight.ToArray()[4..], value => value != 0); // the other rows are drawn
    }

    [Theory]
    [InlineData(11f, "Embedding 'embedding': input value 11 at position 7 is not a token id in [0, 11)")]
    [InlineData(-1f, "Embedding 'embedding': input value -1 at position 7 is not a token id in [0, 11)")]
    [InlineData(2.5f, "Embedding 'embedding': input value 2.5 at position 7 is not a token id in [0, 11)")]
    [InlineData(float.NaN, "Embedding 'embedding': input value NaN at position 7 is not a token id in [0, 11)")]
    public void TokenOutsideTheVocabularyIsAnErrorNamingTheLayer(float token, string message)
    {
        var model = new TorchEmbeddingLstm();
        var inputs = new float[2 * 6];
        inputs[7] = token;

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(inputs, new float[2 * 3]));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FrozenLstmStillCarriesTheGradientToTheLayerBelow()
    {
        // second is frozen: its gradients stay zero, but first's (which need second's dx) match PyTorch's.
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Layers", "torch_recurrent.json")));
        var recorded = golden.RootElement.GetProperty("stacked");
        var model = new TorchLstmStacked();
        Load(recorded, model);
        model.SetFrozen("second", true);

        model.TrainStep(Floats(recorded.GetProperty("inputs")), recorded.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray());

        foreach (var tensor in model.ParameterLayout)
        {
            if (tensor.Name.StartsWith("second.", StringComparison.Ordinal))
            {
                Assert.All(model.Gradients.Slice(tensor.Offset, tensor.Length).ToArray(), g => Assert.Equal(0f, g));
            }
            else
            {
                AssertClose(tensor.Name, recorded.GetProperty("gradients").GetProperty(tensor.Name), model.Gradients.Slice(tensor.Offset, tensor.Length));
            }
        }
    }

    public static TheoryData<string> AllocationNetworks => new() { nameof(RowLstm), nameof(RowGruRnn), nameof(TokenLstm), nameof(RowBidirectional), nameof(TokenMaskedBidirectional), nameof(TokenMaskedStack) };

    [Theory]
    [MemberData(nameof(AllocationNetworks))]
    public void TrainingStepAllocatesNothingAfterWarmUp(string network)
    {
        INetwork model = network switch
        {
            nameof(RowLstm) => new RowLstm(),
            nameof(RowGruRnn) => new RowGruRnn(),
            nameof(RowBidirectional) => new RowBidirectional(),
            nameof(TokenMaskedBidirectional) => new TokenMaskedBidirectional(),
            nameof(TokenMaskedStack) => new TokenMaskedStack(),
            _ => new TokenLstm(),
        };
        var (inputs, labels) = TrainingStepProbe.RandomBatch(model, batch: 16, classes: 10);
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = MathF.Floor(inputs[i] * 10); // whole numbers below 10: token ids for the token networks, pixels for the others
        }

        Assert.Equal(0, TrainingStepProbe.AllocatedBytes(model, inputs, labels, steps: 3));
    }

    // Every tensor the network lays out must be in the golden file and the other way round, so a
    // renamed or missing tensor fails here instead of being skipped.
    private static void Load(JsonElement recorded, INetwork model)
    {
        var tensors = recorded.GetProperty("parameters");
        Assert.Equal(tensors.EnumerateObject().Select(t => t.Name).Order(), model.ParameterLayout.Select(t => t.Name).Order());
        foreach (var tensor in model.ParameterLayout)
        {
            Floats(tensors.GetProperty(tensor.Name)).CopyTo(model.Parameters.Slice(tensor.Offset, tensor.Length));
        }
    }

    private static void AssertClose(string tensor, JsonElement expectedValues, ReadOnlySpan<float> actual)
    {
        var expected = expectedValues.EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.True(expected.Length == actual.Length, $"{tensor}: PyTorch has {expected.Length} values, NetGen {actual.Length}");
        var bound = Tolerance * expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= bound, $"{tensor}[{i}]: PyTorch {expected[i]:G9}, NetGen {actual[i]:G9} (allowed ±{bound:G3})");
        }
    }

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
}
