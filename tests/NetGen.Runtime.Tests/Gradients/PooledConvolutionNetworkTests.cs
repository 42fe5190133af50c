using System;
using System.Linq;
using NetGen.Runtime.Tests.Networks;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>A generated network whose max poolings the generator fuses into its ReLU convolutions, against the same network with im2col pinned, which keeps them apart.</summary>
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

    [Fact]
    public void A_training_step_allocates_nothing()
    {
        var model = new TestPooledCnn();
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
