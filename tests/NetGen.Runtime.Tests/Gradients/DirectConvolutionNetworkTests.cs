using System;
using System.Linq;
using NetGen.Runtime.Tests.Networks;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// A generated network whose few-channel convolutions Auto runs directly (<see cref="TestDirectCnn"/>)
/// against the same network with im2col pinned: the same outputs and loss bit for bit, the weight
/// gradients of the direct layers within float rounding (they are summed in another order).
/// </summary>
public sealed class DirectConvolutionNetworkTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(19)] // three sample groups, the last one short
    public void Training_matches_the_im2col_network(int batch)
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

        Assert.NotEqual(reference.Conv1.WeightGradient.ToArray(), direct.Conv1.WeightGradient.ToArray());
    }

    [Fact]
    public void A_training_step_allocates_nothing()
    {
        var model = new TestDirectCnn();
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
        var random = new SeededRandom(23);
        return (Enumerable.Range(0, batch * inputSize).Select(_ => random.NextSingle() - 0.5f).ToArray(), Enumerable.Range(0, batch).Select(i => i % 5).ToArray());
    }
}
