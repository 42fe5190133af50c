using System;
using System.Linq;
using NetGen.Runtime.Tests.Networks;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>A generated network whose convolutions the generator routes to Winograd, against the same network pinned to im2col.</summary>
public sealed class WinogradNetworkTests
{
    private const int Batch = 4;

    [Fact]
    public void A_training_step_matches_im2col_within_float_rounding()
    {
        var winograd = new TestWinogradCnn();
        var im2col = new TestIm2ColCnn();
        winograd.Parameters.CopyTo(im2col.Parameters);
        var (inputs, labels) = Batch4(winograd.InputSize);
        var winogradLoss = winograd.TrainStep(inputs, labels);
        var im2colLoss = im2col.TrainStep(inputs, labels);

        Assert.Equal(im2colLoss, winogradLoss, 1e-5f);
        var error = FiniteDifferences.RelativeError(FiniteDifferences.Widen(winograd.Gradients), FiniteDifferences.Widen(im2col.Gradients));
        Assert.True(error < 1e-5, $"gradients differ from im2col's by {error:E2}");
        Assert.Contains(winograd.Gradients.ToArray(), g => g != 0);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(11)] // two sample groups, the second short
    public void Auto_runs_a_pooled_layer_through_Winograd_and_training_stays_within_float_rounding_of_im2col(int batch)
    {
        // Not bitwise: Winograd's transforms add and halve in another order than im2col's dot products, so the
        // convolution differs by float rounding (~1e-7 relative), which the gradients carry; 1e-5 is what the
        // unfused Winograd test above allows. A near-tie in a pooling window may route one gradient elsewhere.
        var auto = new TestAutoWinogradCnn();
        var pinned = new TestPinnedIm2ColCnn();
        auto.Parameters.CopyTo(pinned.Parameters);
        var random = new SeededRandom(31);
        var inputs = Enumerable.Range(0, batch * auto.InputSize).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var labels = Enumerable.Range(0, batch).Select(i => i % 5).ToArray();
        for (var step = 0; step < 3; step++)
        {
            Assert.Equal(pinned.TrainStep(inputs, labels), auto.TrainStep(inputs, labels), 1e-5f);
            var error = FiniteDifferences.RelativeError(FiniteDifferences.Widen(auto.Gradients), FiniteDifferences.Widen(pinned.Gradients));
            Assert.True(error < 1e-5, $"step {step}: gradients differ from im2col's by {error:E2}");
        }

        Assert.NotEqual(pinned.Gradients.ToArray(), auto.Gradients.ToArray()); // another algorithm ran
        Assert.Contains(auto.Conv.WeightGradient.ToArray(), g => g != 0);
    }

    [Fact]
    public void A_training_step_of_the_pooled_Winograd_layer_allocates_nothing()
    {
        var model = new TestAutoWinogradCnn();
        var random = new SeededRandom(32);
        var inputs = Enumerable.Range(0, Batch * model.InputSize).Select(_ => random.NextSingle() - 0.5f).ToArray();
        int[] labels = [0, 3, 1, 4];
        model.TrainStep(inputs, labels);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < 3; step++)
        {
            model.TrainStep(inputs, labels);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void A_training_step_allocates_nothing()
    {
        var model = new TestWinogradCnn();
        var (inputs, labels) = Batch4(model.InputSize);
        model.TrainStep(inputs, labels);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < 3; step++)
        {
            model.TrainStep(inputs, labels);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private static (float[] Inputs, int[] Labels) Batch4(int inputSize)
    {
        var random = new SeededRandom(12);
        return (Enumerable.Range(0, Batch * inputSize).Select(_ => random.NextSingle() - 0.5f).ToArray(), [0, 3, 1, 4]);
    }
}
