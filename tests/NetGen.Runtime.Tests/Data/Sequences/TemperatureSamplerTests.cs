using System;
using System.Linq;
using NetGen.Data.Sequences;
using Xunit;

namespace NetGen.Runtime.Tests.Data.Sequences;

/// <summary>Sampling softmax(logits / T): the distribution, the T → 0 limit, the seed, no allocation, and bad input.</summary>
public sealed class TemperatureSamplerTests
{
    private static readonly float[] Logits = [MathF.Log(0.2f), MathF.Log(0.3f), MathF.Log(0.5f)];

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(2.0)]
    public void Draws_follow_the_softmax_of_the_logits_over_the_temperature(double temperature)
    {
        var sampler = new TemperatureSampler(seed: 3);
        var counts = new int[3];
        const int Draws = 40_000;

        for (var i = 0; i < Draws; i++)
        {
            counts[sampler.Sample(Logits, temperature)]++;
        }

        var weights = Logits.Select(l => Math.Exp(l / temperature)).ToArray();
        for (var c = 0; c < 3; c++)
        {
            // Four standard deviations of a binomial count: fails by chance about once in 15,000 runs, per class.
            var p = weights[c] / weights.Sum();
            Assert.InRange(counts[c], (Draws * p) - (4 * Math.Sqrt(Draws * p * (1 - p))), (Draws * p) + (4 * Math.Sqrt(Draws * p * (1 - p))));
        }
    }

    [Fact]
    public void Temperature_zero_is_the_first_largest_logit_and_a_tiny_one_tends_to_it()
    {
        var sampler = new TemperatureSampler(seed: 1);
        float[] tied = [1, 4, 4, 2];

        Assert.Equal(1, sampler.Sample(tied, 0));
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(2, sampler.Sample(Logits, 1e-3)));
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(0, sampler.Sample([1e30f, -1e30f], 1e-30)));
    }

    [Fact]
    public void The_same_seed_gives_the_same_draws()
    {
        var first = new TemperatureSampler(seed: 9);
        var second = new TemperatureSampler(seed: 9);
        var other = new TemperatureSampler(seed: 10);

        var a = Enumerable.Range(0, 50).Select(_ => first.Sample(Logits, 1)).ToArray();
        var b = Enumerable.Range(0, 50).Select(_ => second.Sample(Logits, 1)).ToArray();
        var c = Enumerable.Range(0, 50).Select(_ => other.Sample(Logits, 1)).ToArray();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void A_draw_allocates_nothing()
    {
        var sampler = new TemperatureSampler(seed: 1);
        var logits = new float[96];
        sampler.Sample(logits, 0.7);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            sampler.Sample(logits, 0.7);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_temperature_below_zero_or_not_finite_is_an_error_naming_it(double temperature)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TemperatureSampler(1).Sample(Logits, temperature));

        Assert.Equal("temperature", error.ParamName);
    }

    [Fact]
    public void Empty_or_non_finite_logits_are_an_error_naming_them()
    {
        var sampler = new TemperatureSampler(1);

        var empty = Assert.Throws<ArgumentException>(() => sampler.Sample([], 1));
        var diverged = Assert.Throws<ArgumentException>(() => sampler.Sample([0, float.NaN], 1));

        Assert.Equal(("logits", "logits"), (empty.ParamName, diverged.ParamName));
        Assert.StartsWith("Logit 1 is NaN", diverged.Message, StringComparison.Ordinal);
    }
}
