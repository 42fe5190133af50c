using System;
using NetGen.Optimizers;
using NetGen.Schedules;
using Xunit;

namespace NetGen.Runtime.Tests.Optimizers;

/// <summary>Schedule behaviour beyond the torch comparison: applying to an optimizer, resuming, bad input.</summary>
public sealed class ScheduleTests
{
    [Fact]
    public void Apply_sets_the_optimizer_learning_rate_for_the_epoch()
    {
        // StepLR(0.1, 2, 0.5) at epoch 5: 0.1 · 0.5^⌊5/2⌋ = 0.025.
        var sgd = new Sgd(4, 1f);
        new StepLR(0.1, stepSize: 2, gamma: 0.5).Apply(sgd, 5);
        Assert.Equal(0.025f, sgd.LearningRate);
    }

    [Fact]
    public void Plateau_resumed_from_its_state_matches_an_uninterrupted_run()
    {
        double[] metrics = [1.0, 0.9, 0.95, 0.96, 0.97, 0.8, 0.85, 0.86, 0.87, 0.88];
        var uninterrupted = new ReduceLROnPlateau(0.1, patience: 1, cooldown: 1);
        foreach (var metric in metrics)
        {
            uninterrupted.Step(metric);
        }

        var first = new ReduceLROnPlateau(0.1, patience: 1, cooldown: 1);
        for (var epoch = 0; epoch < 4; epoch++)
        {
            first.Step(metrics[epoch]);
        }

        var resumed = new ReduceLROnPlateau(0.1, patience: 1, cooldown: 1);
        resumed.Restore(first.State);
        for (var epoch = 4; epoch < metrics.Length; epoch++)
        {
            resumed.Step(metrics[epoch]);
        }

        Assert.Equal(uninterrupted.State, resumed.State);
        Assert.True(resumed.LearningRate < 0.1);
    }

    [Fact]
    public void Bad_arguments_are_rejected_by_name()
    {
        Assert.Equal("epoch", Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialLR(0.1, 0.9).LearningRateAt(-1)).ParamName);
        Assert.Equal("stepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new StepLR(0.1, 0)).ParamName);
        Assert.Equal("factor", Assert.Throws<ArgumentOutOfRangeException>(() => new ReduceLROnPlateau(0.1, factor: 1.0)).ParamName);
        Assert.Equal("metric", Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau(0.1).Step(double.NaN)).ParamName);
        Assert.Equal("startFactor", Assert.Throws<ArgumentOutOfRangeException>(() => new LinearWarmup(0.1, 3, startFactor: 0)).ParamName);
    }
}
