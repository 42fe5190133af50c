using System.Globalization;

namespace NetGen.Generator.Analysis;

/// <summary>
/// How a convolution's training work is shared among cores, decided from its shapes: split the batch
/// (groups of a fixed number of whole samples, each doing its own im2col, products and col2im on one
/// core) or split each product (one chunk at a time, its GEMM's tiles shared among the cores). The
/// batch split hands nothing between cores inside the layer, so it is the choice whenever its cost,
/// one partial weight gradient per group, stays small.
/// </summary>
/// <remarks>
/// Groups hold a fixed number of samples, not a fixed number per batch, so that the weight
/// gradient's rounding does not depend on how the batch is shared among processes: one process's
/// batch of 64 and two processes' contiguous shards of 32 cut into the same groups of 8, and as the
/// runtime adds the groups' partials pairwise, the batch's sum is bitwise the shards' sums added
/// (the all-reduce's addition).
/// </remarks>
internal sealed record ConvolutionSplit(int GroupSamples, string Reason)
{
    /// <summary>Samples per group of a batch split: 8 groups of a batch of 64 balance up to 8 cores, and each group's products stay wide.</summary>
    internal const int Samples = 8;

    /// <summary>
    /// Floats of partial weight gradient one group may keep (1 MiB, 128 KiB per sample of the batch):
    /// past it each product is split instead. The partials scale with the batch
    /// (<c>⌈batch / 8⌉</c> groups), as the activations do, so the budget is stated per group: the
    /// batch split adds at most this per 8 samples, beside the layer's activations that already grow
    /// per sample.
    /// </summary>
    internal const long GroupPartialBudget = 1 << 18;

    /// <summary>The split of a convolution with <paramref name="filters"/> filters over <paramref name="patch"/> = channels·k·k inputs per position.</summary>
    public static ConvolutionSplit For(int filters, int patch)
    {
        var partial = (long)filters * patch;
        return partial <= GroupPartialBudget
            ? new(Samples, $"split the batch: groups of {Samples} whole samples (the last one shorter) run on the cores, each with its own im2col, products and col2im; dweight adds the groups' partial [{filters}, {patch}] sums pairwise in group order, so a batch and its contiguous shards in several processes form the same groups and sums")
            : new(0, $"split each product over the cores: a partial weight gradient [{filters}, {patch}] per group of {Samples} samples ({partial.ToString("N0", CultureInfo.InvariantCulture)} floats) would pass the {GroupPartialBudget.ToString("N0", CultureInfo.InvariantCulture)}-float budget per group");
    }
}
