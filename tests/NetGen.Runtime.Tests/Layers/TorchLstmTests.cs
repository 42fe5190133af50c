using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using NetGen.Losses;
using Xunit;

namespace NetGen.Runtime.Tests.Layers;

/// <summary>
/// LSTM's numerics in float64 against torch.nn.LSTM: the same state_dict, one training step of an
/// LSTM → Linear classifier over the last step or every step; the logits, loss, every parameter
/// gradient and the input gradient must each agree within 1e-5 of the tensor's largest value.
/// Golden values: tests/reference/record_lstm.py.
/// </summary>
public sealed class TorchLstmTests
{
    private const int Batch = 4, Steps = 5, Features = 6, Hidden = 7, Classes = 3;
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData("last", false)]
    [InlineData("sequences", true)]
    public void TrainingStepMatchesPyTorch(string network, bool returnSequences)
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Layers", "torch_lstm.json")));
        var recorded = golden.RootElement.GetProperty(network);
        var parameters = recorded.GetProperty("parameters");
        double[] weightIh = Doubles(parameters, "lstm.weight_ih_l0"), weightHh = Doubles(parameters, "lstm.weight_hh_l0");
        double[] biasIh = Doubles(parameters, "lstm.bias_ih_l0"), biasHh = Doubles(parameters, "lstm.bias_hh_l0");
        double[] classifier = Doubles(parameters, "classifier.weight"), classifierBias = Doubles(parameters, "classifier.bias");
        var x = Doubles(recorded, "inputs");
        var labels = recorded.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var returned = returnSequences ? Steps * Hidden : Hidden;

        var y = new double[Batch * returned];
        var saved = new double[Batch * LSTM.SavedPerSample(Steps, Hidden)];
        LSTM.Forward<double>(x, weightIh, weightHh, biasIh, biasHh, y, saved, Batch, Steps, Features, Hidden, returnSequences);
        var logits = new double[Batch * Classes];
        Dense.Forward<double>(y, classifier, classifierBias, logits, default, Batch, returned, Classes, Activation.None);
        var dLogits = new double[logits.Length];
        var loss = SoftmaxCrossEntropy.Compute<double>(logits, labels, dLogits, default, Batch, Classes, 0);
        double[] dClassifier = new double[classifier.Length], dClassifierBias = new double[Classes], dy = new double[y.Length];
        Dense.Backward<double>(dLogits, y, classifier, dClassifier, dClassifierBias, dy, Batch, returned, Classes, Activation.None, default);
        double[] dWeightIh = new double[weightIh.Length], dWeightHh = new double[weightHh.Length], dBiasIh = new double[biasIh.Length], dBiasHh = new double[biasHh.Length], dx = new double[x.Length];
        LSTM.Backward<double>(dy, x, weightIh, weightHh, saved, dWeightIh, dWeightHh, dBiasIh, dBiasHh, dx, Batch, Steps, Features, Hidden, returnSequences, Activation.None, default);

        Assert.Equal(recorded.GetProperty("loss").GetDouble(), loss, Tolerance * recorded.GetProperty("loss").GetDouble());
        AssertClose("logits", Doubles(recorded, "logits"), logits);
        var gradients = recorded.GetProperty("gradients");
        AssertClose("lstm.weight_ih_l0", Doubles(gradients, "lstm.weight_ih_l0"), dWeightIh);
        AssertClose("lstm.weight_hh_l0", Doubles(gradients, "lstm.weight_hh_l0"), dWeightHh);
        AssertClose("lstm.bias_ih_l0", Doubles(gradients, "lstm.bias_ih_l0"), dBiasIh);
        AssertClose("lstm.bias_hh_l0", Doubles(gradients, "lstm.bias_hh_l0"), dBiasHh);
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

    private static double[] Doubles(JsonElement element, string name) => element.GetProperty(name).EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
