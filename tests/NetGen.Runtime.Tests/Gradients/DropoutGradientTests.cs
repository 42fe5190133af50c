using System;
using System.Linq;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>Dropout's numerics in float64: the fused backward against finite differences with a fixed mask, and the mask's statistics.</summary>
public sealed class DropoutGradientTests
{
    // Every member of the enum, so a new producer activation meets the fused derivative without a line here.
    public static TheoryData<Activation> Producers => new(Enum.GetValues<Activation>());

    [Theory]
    [MemberData(nameof(Producers))]
    public void BackwardWithEachProducerActivationMatchesFiniteDifferences(Activation producer)
    {
        const int rows = 3, width = 5;
        var random = new SeededRandom(21);
        var u = FiniteDifferences.Random(rows * width, random, 2);
        var weights = FiniteDifferences.Random(rows * width, random);
        var stream = Dropout.StreamSeed(7, 2, 11); // fixed stream, so every evaluation draws the same mask
        var mask = new double[u.Length];

        double[] Produce()
        {
            var x = u.ToArray();
            Activations.ApplyRows<double>(producer, x, rows, width);
            return x;
        }

        double Loss()
        {
            var x = Produce();
            var y = new double[x.Length];
            Dropout.Forward<double>(x, y, mask, 0.4, stream);
            return y.Select((v, i) => v * weights[i]).Sum();
        }

        Loss();
        var saved = Activations.SavesPreActivation(producer) ? u : Produce();
        var dx = new double[u.Length];
        Dropout.Backward<double>(weights, mask, dx, rows, width, producer, saved);

        Assert.Contains(0.0, mask);
        Assert.True(FiniteDifferences.RelativeError(dx, FiniteDifferences.Gradient(u, Loss)) < 1e-8);
    }

    [Fact]
    public void TrainingDropsAboutTheRateAndScalesTheSurvivors()
    {
        const double rate = 0.3;
        var x = Enumerable.Range(0, 100_000).Select(i => 1.0 + (i % 7)).ToArray();
        var y = new double[x.Length];
        var mask = new double[x.Length];

        Dropout.Forward<double>(x, y, mask, rate, Dropout.StreamSeed(1, 0, 0));

        var dropped = y.Count(v => v == 0) / (double)y.Length;
        Assert.InRange(dropped, rate - 0.01, rate + 0.01);
        for (var i = 0; i < x.Length; i++)
        {
            Assert.True(y[i] == 0 || Math.Abs(y[i] - (x[i] / (1 - rate))) < 1e-12, $"y[{i}] = {y[i]} is neither 0 nor x / (1 − p)");
        }
    }

    [Fact]
    public void SameStreamSameMaskAndEachStepLayerAndSeedDiffer()
    {
        var x = Enumerable.Repeat(1f, 256).ToArray();

        float[] Mask(int seed, int layer, long step)
        {
            var mask = new float[x.Length];
            Dropout.Forward<float>(x, new float[x.Length], mask, 0.5, Dropout.StreamSeed(seed, layer, step));
            return mask;
        }

        Assert.Equal(Mask(3, 1, 5), Mask(3, 1, 5));
        Assert.NotEqual(Mask(3, 1, 5), Mask(3, 1, 6));
        Assert.NotEqual(Mask(3, 1, 5), Mask(3, 2, 5));
        Assert.NotEqual(Mask(3, 1, 5), Mask(4, 1, 5));
    }

    [Fact]
    public void RateOfOneIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.Forward<float>(new float[2], new float[2], new float[2], 1.0, 0));
}
