using System;
using Xunit;

namespace NetGen.Runtime.Tests.Networks;

/// <summary><see cref="INetwork.Summary"/>: per-layer FLOPs, and trainable and frozen counts that follow [Frozen] and SetFrozen.</summary>
public sealed class SummaryTests
{
    [Fact]
    public void LayersFrozenByAttributeAreMarkedAndCountedAsFrozen()
    {
        // FLOPs per sample: Dense 2·in·out + out (bias), BatchNorm 2 per value; buffers (BatchNorm's
        // running mean and variance, 8 each) are counted apart from the 171 parameters.
        Assert.Equal(
            """
            RegularisedMlp (loss: SoftmaxCrossEntropy)
            Layer   Kind       Output  Params  FLOPs
            input   Input      [*, 6]       0      0
            hidden  Dense      [*, 8]      56    104  6 → 8, ReLU
            middle  Dense      [*, 8]      72    136  8 → 8  (frozen)
            norm    BatchNorm  [*, 8]      16     16  8 features, ReLU
            drop    Dropout    [*, 8]       0      0  p = 0.25
            output  Dense      [*, 3]      27     51  8 → 3
            Parameters: 171 (trainable: 99, frozen: 72)
            Buffers: 16 (running statistics: updated by training, not by optimizers; not counted as parameters)
            Forward FLOPs per sample: 307 (a multiply-add counts as 2)
            Activation memory per sample: 236 bytes (training, with gradients: 472 bytes)
            """,
            new RegularisedMlp().Summary());
    }

    [Fact]
    public void FreezingAndThawingAtRunTimeChangeTheCounts()
    {
        var model = new PlainMlp();
        Assert.Contains("Parameters: 66 (trainable: 66, frozen: 0)\n", model.Summary(), StringComparison.Ordinal);

        model.SetFrozen("hidden", true);
        var frozen = model.Summary();
        Assert.Contains("\nhidden  Dense  [*, 7]      42     77  5 → 7, Tanh  (frozen)\n", frozen, StringComparison.Ordinal);
        Assert.Contains("\noutput  Dense  [*, 3]      24     45  7 → 3\n", frozen, StringComparison.Ordinal);
        Assert.Contains("Parameters: 66 (trainable: 24, frozen: 42)\n", frozen, StringComparison.Ordinal);

        model.SetFrozen("hidden", false);
        Assert.DoesNotContain("(frozen)", model.Summary(), StringComparison.Ordinal);
        Assert.Contains("Parameters: 66 (trainable: 66, frozen: 0)\n", model.Summary(), StringComparison.Ordinal);
    }
}
