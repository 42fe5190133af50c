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
