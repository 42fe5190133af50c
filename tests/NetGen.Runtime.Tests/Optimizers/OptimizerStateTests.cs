using System;
using System.Linq;
using NetGen.Optimizers;
using Xunit;

namespace NetGen.Runtime.Tests.Optimizers;

/// <summary>Checkpoint export/import, argument checks and the no-allocation promise.</summary>
public sealed class OptimizerStateTests
{
    // 37 values: several full vector blocks plus a tail, whatever Vector<float>.Count is.
    private const int Count = 37;

    public static TheoryData<string> Kinds => new("sgd", "rmsprop", "adam", "adamw");

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Resuming_from_saved_state_continues_bit_for_bit(string kind)
    {
        var uninterrupted = Create(kind);
        var parameters = Sequence(0.5f);
        for (var step = 0; step < 6; step++)
        {
            uninterrupted.Step(parameters, Gradient(step));
        }

        var first = Create(kind);
        var resumedParameters = Sequence(0.5f);
        for (var step = 0; step < 3; step++)
        {
            first.Step(resumedParameters, Gradient(step));
        }

        // What a checkpoint would write: step count and copies of the named buffers, saved in reverse order.
        var saved = first.State.Reverse().Select(s => new OptimizerState(s.Name, (float[])s.Values.Clone())).ToArray();
        var resumed = Create(kind);
        resumed.LoadState(first.StepCount, saved);
        for (var step = 3; step < 6; step++)
        {
            resumed.Step(resumedParameters, Gradient(step));
        }

        Assert.Equal(uninterrupted.StepCount, resumed.StepCount);
        Assert.Equal(parameters, resumedParameters);
        for (var i = 0; i < uninterrupted.State.Count; i++)
        {
            Assert.Equal(uninterrupted.State[i].Values, resumed.State[i].Values);
        }
    }

    [Fact]
    public void Loading_state_with_a_missing_buffer_names_it()
    {
        var adam = new Adam(Count);
        var saved = new[] { new OptimizerState("exp_avg", new float[Count]), new OptimizerState("momentum_buffer", new float[Count]) };
        var error = Assert.Throws<ArgumentException>(() => adam.LoadState(1, saved));
        Assert.Contains("'exp_avg_sq'", error.Message);
        Assert.Equal(0, adam.StepCount);
    }

    [Fact]
    public void Loading_state_of_the_wrong_length_names_the_buffer_and_changes_nothing()
    {
        var sgd = new Sgd(Count, 0.1f, momentum: 0.9);
        sgd.Step(Sequence(1f), Gradient(0));
        var before = (float[])sgd.State[0].Values.Clone();
        var error = Assert.Throws<ArgumentException>(() => sgd.LoadState(5, [new OptimizerState("momentum_buffer", new float[Count - 1])]));
        Assert.Contains("'momentum_buffer' holds 36 values", error.Message);
        Assert.Equal(before, sgd.State[0].Values);
        Assert.Equal(1, sgd.StepCount);
    }

    [Fact]
    public void Step_rejects_buffers_of_the_wrong_length()
    {
        var adam = new Adam(Count);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => adam.Step(new float[Count + 1], new float[Count])).ParamName);
        Assert.Equal("gradients", Assert.Throws<ArgumentException>(() => adam.Step(new float[Count], new float[Count - 1])).ParamName);
        Assert.Equal(0, adam.StepCount);
    }

    [Fact]
    public void Invalid_hyperparameters_are_rejected_by_name()
    {
        Assert.Equal("nesterov", Assert.Throws<ArgumentException>(() => new Sgd(Count, 0.1f, nesterov: true)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(Count, beta2: 1.0)).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(Count, alpha: -0.1)).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(Count, learningRate: float.NaN)).ParamName);
        Assert.Equal("parameterCount", Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(0)).ParamName);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_step_allocates_nothing(string kind)
    {
        var optimizer = Create(kind);
        var parameters = Sequence(1f);
        var gradient = Gradient(0);
        optimizer.Step(parameters, gradient);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < 10; step++)
        {
            optimizer.Step(parameters, gradient);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static Optimizer Create(string kind) => kind switch
    {
        "sgd" => new Sgd(Count, 0.05f, momentum: 0.9, nesterov: true, weightDecay: 1e-3),
        "rmsprop" => new RmsProp(Count, momentum: 0.5, centered: true),
        "adam" => new Adam(Count, weightDecay: 1e-2),
        _ => new AdamW(Count),
    };

    private static float[] Sequence(float scale) => Enumerable.Range(0, Count).Select(i => scale * MathF.Sin(i + 1)).ToArray();

    private static float[] Gradient(int step) => Enumerable.Range(0, Count).Select(i => MathF.Cos((i * 0.7f) + step)).ToArray();
}
