using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Layers;

/// <summary>
/// LSTM's, GRU's and SimpleRNN's numerics in float64 against torch.nn.LSTM, GRU and RNN (tanh, ReLU): the same state_dict,
/// one training step of a recurrent layer → Linear classifier over the last step or every step; the
/// logits, loss, every parameter gradient and the input gradient must each agree within 1e-5 of the
/// tensor's largest value. Also bidirectional (the reverse tensors loaded by their <c>_reverse</c> names) and over a
/// padded batch (PyTorch's packed sequences). Golden values: tests/reference/record_recurrent.py.
/// </summary>
public sealed class TorchRecurrentTests
{
    private const int Batch = 4, Steps = 5, Features = 6, Hidden = 7, Classes = 3;
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData("last", "lstm", false)]
    [InlineData("sequences", "lstm", true)]
    [InlineData("gru_last", "gru", false)]
    [InlineData("gru_sequences", "gru", true)]
    [InlineData("rnn_tanh_last", "rnn", false)]
    [InlineData("rnn_relu_sequences", "rnn", true)]
    [InlineData("lstm_bidirectional_last", "lstm", false, true)]
    [InlineData("lstm_bidirectional_sequences", "lstm", true, true)]
    [InlineData("gru_bidirectional_last", "gru", false, true)]
    [InlineData("rnn_bidirectional_last", "rnn", false, true)]
    [InlineData("lstm_padded_last", "lstm", false)]
    [InlineData("lstm_padded_sequences", "lstm", true, true)]
    [InlineData("lstm_bidirectional_padded_last", "lstm", false, true)]
    [InlineData("gru_bidirectional_padded_last", "gru", false, true)]
    [InlineData("rnn_padded_sequences", "rnn", true)]
    public void TrainingStepMatchesPyTorch(string network, string cell, bool returnSequences, bool bidirectional = false)
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Layers", "torch_recurrent.json")));
        var recorded = golden.RootElement.GetProperty(network);
        var parameters = recorded.GetProperty("parameters");
        double[] weightIh = Directions(parameters, cell + ".weight_ih_l0", bidirectional), weightHh = Directions(parameters, cell + ".weight_hh_l0", bidirectional);
        double[] biasIh = Directions(parameters, cell + ".bias_ih_l0", bidirectional), biasHh = Directions(parameters, cell + ".bias_hh_l0", bidirectional);
        var lengths = recorded.TryGetProperty("lengths", out var recordedLengths) ? recordedLengths.EnumerateArray().Select(e => e.GetDouble()).ToArray() : [];
        double[] classifier = Doubles(parameters, "classifier.weight"), classifierBias = Doubles(parameters, "classifier.bias");
        var x = Doubles(recorded, "inputs");
        var labels = recorded.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var width = (bidirectional ? 2 : 1) * Hidden;
        var returned = returnSequences ? Steps * width : width;

        var y = new double[Batch * returned];
        var nonlinearity = network.StartsWith("rnn_relu", StringComparison.Ordinal) ? Activation.ReLU : Activation.Tanh;
        var saved = new double[Batch * (cell == "lstm" ? LSTM.SavedPerSample(Steps, Hidden, bidirectional) : cell == "gru" ? GRU.SavedPerSample(Steps, Hidden, bidirectional) : SimpleRNN.SavedPerSample(Steps, Hidden, bidirectional))];
        if (cell == "lstm")
        {
            LSTM.Forward<double>(x, weightIh, weightHh, biasIh, biasHh, y, saved, Batch, Steps, Features, Hidden, returnSequences, bidirectional, lengths);
        }
        else if (cell == "gru")
        {
            GRU.Forward<double>(x, weightIh, weightHh, biasIh, biasHh, y, saved, Batch, Steps, Features, Hidden, returnSequences, bidirectional, lengths);
        }
        else
        {
            SimpleRNN.Forward<double>(x, weightIh, weightHh, biasIh, biasHh, y, saved, Batch, Steps, Features, Hidden, returnSequences, nonlinearity, bidirectional, lengths);
        }

        var logits = new double[Batch * Classes];
        Dense.Forward<double>(y, classifier, classifierBias, logits, default, Batch, returned, Classes, Activation.None);
        var dLogits = new double[logits.Length];
        var loss = SoftmaxCrossEntropy.Compute<double>(logits, labels, dLogits, default, Batch, Classes, 0);
        double[] dClassifier = new double[classifier.Length], dClassifierBias = new double[Classes], dy = new double[y.Length];
        Dense.Backward<double>(dLogits, y, classifier, dClassifier, dClassifierBias, dy, Batch, returned, Classes, Activation.None, default);
        double[] dWeightIh = new double[weightIh.Length], dWeightHh = new double[weightHh.Length], dBiasIh = new double[biasIh.Length], dBiasHh = new double[biasHh.Length], dx = new double[x.Length];
        if (cell == "lstm")
        {
            LSTM.Backward<double>(dy, x, weightIh, weightHh, saved, dWeightIh, dWeightHh, dBiasIh, dBiasHh, dx, Batch, Steps, Features, Hidden, returnSequences, Activation.None, default, bidirectional, lengths);
        }
        else if (cell == "gru")
        {
            GRU.Backward<double>(dy, x, weightIh, weightHh, saved, dWeightIh, dWeightHh, dBiasIh, dBiasHh, dx, Batch, Steps, Features, Hidden, returnSequences, Activation.None, default, bidirectional, lengths);
        }
        else
        {
            SimpleRNN.Backward<double>(dy, x, weightIh, weightHh, saved, dWeightIh, dWeightHh, dBiasIh, dBiasHh, dx, Batch, Steps, Features, Hidden, returnSequences, nonlinearity, Activation.None, default, bidirectional, lengths);
        }

        Assert.Equal(recorded.GetProperty("loss").GetDouble(), loss, Tolerance * recorded.GetProperty("loss").GetDouble());
        AssertClose("logits", Doubles(recorded, "logits"), logits);
        var gradients = recorded.GetProperty("gradients");
        foreach (var (tensor, gradient) in new[] { ("weight_ih_l0", dWeightIh), ("weight_hh_l0", dWeightHh), ("bias_ih_l0", dBiasIh), ("bias_hh_l0", dBiasHh) })
        {
            var name = cell + "." + tensor;
            var forward = Doubles(gradients, name);
            AssertClose(name, forward, gradient[..forward.Length]);
            if (bidirectional)
            {
                AssertClose(name + "_reverse", Doubles(gradients, name + "_reverse"), gradient[forward.Length..]);
            }
        }

        AssertClose("classifier.weight", Doubles(gradients, "classifier.weight"), dClassifier);
        AssertClose("classifier.bias", Doubles(gradients, "classifier.bias"), dClassifierBias);
        AssertClose("input gradient", Doubles(recorded, "input_gradient"), dx);
    }

    private static void AssertClose(string tensor, double[] expected, double[] actual)
    {
        Assert.True(expected.Length == actual.Length, $"{tensor}: PyTorch has {expected.Length} values, NetGen {actual.Length}");
        var bound = Tolerance * expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= bound, $"{tensor}[{i}]: PyTorch {expected[i]:G9}, NetGen {actual[i]:G9} (allowed ±{bound:G3})");
        }
    }

    // NetGen keeps each reverse tensor right after its forward one: the numerics read both as one span.
    private static double[] Directions(JsonElement parameters, string name, bool bidirectional) =>
        bidirectional ? [.. Doubles(parameters, name), .. Doubles(parameters, name + "_reverse")] : Doubles(parameters, name);

    private static double[] Doubles(JsonElement element, string name) => element.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
