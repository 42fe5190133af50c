using System;
using System.Linq;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>BatchNorm's numerics in float64 against finite differences, PyTorch's running statistics, and the unfolded inference formula.</summary>
public sealed class BatchNormGradientTests
{
    [Theory]
    [InlineData(5, 3, 1)] // vector input [F]: BatchNorm1d
    [InlineData(3, 2, 6)] // image input [C, H, W] with H·W = 6: BatchNorm2d
    public void TrainingGradientsMatchFiniteDifferences(int batch, int channels, int spatial)
    {
        var count = batch * channels * spatial;
        var random = new SeededRandom(9);
        var u = FiniteDifferences.Random(count, random, 2);
        var gamma = FiniteDifferences.Random(channels, random);
        var beta = FiniteDifferences.Random(channels, random);
        var weights = FiniteDifferences.Random(count, random);
        var normalized = new double[count];
        var inverseStd = new double[channels];

        // loss = Σ w ⊙ BN(tanh(u)): the producer's Tanh checks the fused derivative as well.
        double Loss()
        {
            var x = u.Select(Math.Tanh).ToArray();
            var y = new double[count];
            BatchNorm.ForwardTraining<double>(x, gamma, beta, new double[channels], new double[channels], y, default, normalized, inverseStd, batch, channels, spatial, 0.1, 1e-5, Activation.None);
            return y.Select((v, i) => v * weights[i]).Sum();
        }

        Loss();
        var dx = new double[count];
        var dGamma = new double[channels];
        var dBeta = new double[channels];
        BatchNorm.Backward<double>(weights, normalized, inverseStd, gamma, dGamma, dBeta, dx, batch, channels, spatial, Activation.Tanh, u.Select(Math.Tanh).ToArray());

        Assert.True(FiniteDifferences.RelativeError(dx, FiniteDifferences.Gradient(u, Loss)) < 1e-7);
        Assert.True(FiniteDifferences.RelativeError(dGamma, FiniteDifferences.Gradient(gamma, Loss)) < 1e-7);
        Assert.True(FiniteDifferences.RelativeError(dBeta, FiniteDifferences.Gradient(beta, Loss)) < 1e-7);
    }

    // Every member of the enum, so a new producer activation meets the fused derivative without a line here.
    public static TheoryData<Activation> Producers => new(Enum.GetValues<Activation>());

    [Theory]
    [MemberData(nameof(Producers))]
    public void InputGradientWithEachProducerActivationMatchesFiniteDifferences(Activation producer)
    {
        const int batch = 3, channels = 2, spatial = 4, count = batch * channels * spatial;
        var random = new SeededRandom(17);
        var u = FiniteDifferences.Random(count, random, 2);
        var gamma = FiniteDifferences.Random(channels, random);
        var weights = FiniteDifferences.Random(count, random);
        var normalized = new double[count];
        var inverseStd = new double[channels];

        // A row-wise producer (Softmax) acts on each sample's channels × spatial values.
        double[] Produce()
        {
            var x = u.ToArray();
            Activations.ApplyRows<double>(producer, x, batch, channels * spatial);
            return x;
        }

        double Loss()
        {
            var y = new double[count];
            BatchNorm.ForwardTraining<double>(Produce(), gamma, new double[channels], new double[channels], new double[channels], y, default, normalized, inverseStd, batch, channels, spatial, 0.1, 1e-5, Activation.None);
            return y.Select((v, i) => v * weights[i]).Sum();
        }

        Loss();
        var dx = new double[count];
        var saved = Activations.SavesPreActivation(producer) ? u : Produce();
        BatchNorm.Backward<double>(weights, normalized, inverseStd, gamma, new double[channels], new double[channels], dx, batch, channels, spatial, producer, saved);

        Assert.True(FiniteDifferences.RelativeError(dx, FiniteDifferences.Gradient(u, Loss)) < 1e-7, $"{producer}");
    }

    [Fact]
    public void RunningStatisticsAndInferenceMatchPyTorch()
    {
        // torch 1.13: bn = nn.BatchNorm2d(2, momentum=0.2).double(); x = sin(1.7 · arange(24)).reshape(2, 2, 2, 3) · 3 + 0.5;
        // bn.train(); bn(x); bn(x · 0.5 + 1); then bn.running_mean, bn.running_var and bn.eval()(x)[:4].
        var x = Enumerable.Range(0, 24).Select(i => (Math.Sin(i * 1.7) * 3) + 0.5).ToArray();
        double[] gamma = [1, 1], beta = [0, 0], mean = [0, 0], variance = [1, 1];
        var scratch = new double[24];
        var inverseStd = new double[2];
        BatchNorm.ForwardTraining<double>(x, gamma, beta, mean, variance, scratch, default, new double[24], inverseStd, 2, 2, 6, 0.2, 1e-5, Activation.None);
        BatchNorm.ForwardTraining<double>(x.Select(v => (v * 0.5) + 1).ToArray(), gamma, beta, mean, variance, scratch, default, new double[24], inverseStd, 2, 2, 6, 0.2, 1e-5, Activation.None);

        AssertClose([0.4388724925946663, 0.2768823837453281], mean);
        AssertClose([1.6287391738267831, 1.6627515386660052], variance);
        var y = new double[24];
        BatchNorm.ForwardInference<double>(x, gamma, beta, mean, variance, y, default, 2, 2, 6, 1e-5, Activation.None);
        AssertClose([0.04789714009021212, 2.3789872023997605, -0.5527991003809815, -2.128400115561869], y.AsSpan(0, 4).ToArray());
    }

    [Fact]
    public void InferenceEqualsTheUnfoldedComputation()
    {
        const int batch = 2, channels = 3, spatial = 4;
        var random = new SeededRandom(4);
        var x = FiniteDifferences.Random(batch * channels * spatial, random, 3);
        var gamma = FiniteDifferences.Random(channels, random);
        var beta = FiniteDifferences.Random(channels, random);
        var mean = FiniteDifferences.Random(channels, random);
        var variance = FiniteDifferences.Random(channels, random).Select(v => 0.5 + Math.Abs(v)).ToArray();
        var y = new double[x.Length];
        var preActivation = new double[x.Length];

        BatchNorm.ForwardInference<double>(x, gamma, beta, mean, variance, y, preActivation, batch, channels, spatial, 1e-3, Activation.GELU);

        for (var i = 0; i < x.Length; i++)
        {
            var c = (i / spatial) % channels;
            var z = (gamma[c] * (x[i] - mean[c]) / Math.Sqrt(variance[c] + 1e-3)) + beta[c];
            Assert.Equal(z, preActivation[i], 1e-12);
            Assert.Equal(Activations.Apply(Activation.GELU, z), y[i], 1e-12);
        }
    }

    [Fact]
    public void TrainingWithOneValuePerChannelIsRejected()
    {
        var error = Assert.Throws<InvalidOperationException>(() => BatchNorm.ForwardTraining<float>(
            new float[3], new float[3], new float[3], new float[3], new float[3], new float[3], default, new float[3], new float[3], 1, 3, 1, 0.1, 1e-5, Activation.None));

        Assert.Contains("batch of at least 2", error.Message);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-12);
        }
    }
}
