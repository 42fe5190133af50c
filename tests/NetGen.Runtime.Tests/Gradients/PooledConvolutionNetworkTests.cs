using System;
using System.Linq;
using NetGen.Runtime.Tests.Networks;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// Generated networks whose max poolings the generator fuses into their ReLU convolutions, against the
/// same networks with im2col pinned, which keeps them apart: bit for bit when both run im2col
/// (<see cref="TestPooledCnn"/>); with the same outputs and loss bit for bit and weight gradients within
/// float rounding when Auto runs the few-channel convolutions directly (<see cref="TestDirectCnn"/>).
/// </summary>
public sealed class PooledConvolutionNetworkTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(19)] // three sample groups, the last one short
    public void Training_matches_the_unfused_network_bitwise(int batch)
    {
        var fused = new TestPooledCnn();
        var unfused = new TestUnpooledCnn();
        fused.Parameters.CopyTo(unfused.Parameters);
        var (inputs, labels) = Batch(batch, fused.InputSize);
        for (var step = 0; step < 3; step++)
        {
            Assert.Equal(unfused.TrainStep(inputs, labels), fused.TrainStep(inputs, labels));
            Assert.Equal(unfused.Gradients.ToArray(), fused.Gradients.ToArray());
            Assert.Equal(unfused.Parameters.ToArray(), fused.Parameters.ToArray());
        }

        Assert.Contains(fused.Conv1.WeightGradient.ToArray(), g => g != 0);
        float[] expected = new float[batch * 5], actual = new float[batch * 5];
        unfused.Forward(inputs, expected);
        fused.Forward(inputs, actual);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(19)]
    public void Direct_training_matches_the_im2col_network(int batch)
    {
        var direct = new TestDirectCnn();
        var reference = new TestDirectReferenceCnn();
        direct.Parameters.CopyTo(reference.Parameters);
        var (inputs, labels) = Batch(batch, direct.InputSize);
        float[] expected = new float[batch * 5], actual = new float[batch * 5];
        reference.Forward(inputs, expected);
        direct.Forward(inputs, actual);
        Assert.Equal(expected, actual);

        Assert.Equal(reference.TrainStep(inputs, labels), direct.TrainStep(inputs, labels));
        foreach (var (name, want, got) in new[]
        {
            ("conv1", reference.Conv1.WeightGradient.ToArray(), direct.Conv1.WeightGradient.ToArray()),
            ("conv2", reference.Conv2.WeightGradient.ToArray(), direct.Conv2.WeightGradient.ToArray()),
            ("all", reference.Gradients.ToArray(), direct.Gradients.ToArray()),
        })
        {
            var scale = want.Max(Math.Abs);
            Assert.True(scale > 0, $"{name}: every gradient is zero");
            Assert.All(want.Zip(got), pair => Assert.True(Math.Abs(pair.First - pair.Second) <= 1e-5 * scale, $"{name}: {pair.Second} against {pair.First}"));
        }

        // conv1's 27 values a patch run the direct weight gradient, which rounds differently.
        Assert.NotEqual(reference.Conv1.WeightGradient.ToArray(), direct.Conv1.WeightGradient.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_training_step_allocates_nothing(bool direct)
    {
        INetwork model = direct ? new TestDirectCnn() : new TestPooledCnn();
        var (inputs, labels) = Batch(4, model.InputSize);
        model.TrainStep(inputs, labels);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < 3; step++)
        {
            model.TrainStep(inputs, labels);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static (float[] Inputs, int[] Labels) Batch(int batch, int inputSize)
    {
        var random = new SeededRandom(17);
        return (Enumerable.Range(0, batch * inputSize).Select(_ => random.NextSingle() - 0.5f).ToArray(), Enumerable.Range(0, batch).Select(i => i % 5).ToArray());
    }
}
