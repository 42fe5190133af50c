using System.Globalization;

namespace NetGen.Generator.Analysis;

/// <summary>
/// How a convolution's training work is shared among cores, decided from its shapes: split the batch
/// (groups of whole samples, each doing its own im2col, products and col2im on one core) or split each
/// product (one chunk at a time, its GEMM's tiles shared among the cores). The batch split hands
/// nothing between cores inside the layer, so it is the choice whenever its cost, one partial weight
/// gradient per group, stays small.
/// </summary>
internal sealed record ConvolutionSplit(int SampleGroups, string Reason)
{
    /// <summary>Groups of a batch split: enough to balance up to 8 cores, few enough that each group's products stay wide.</summary>
    internal const int Groups = 8;

    /// <summary>Floats of partial weight gradients the batch split may keep (8 MiB): past it each product is split instead.</summary>
    internal const long PartialBudget = 1 << 21;

    /// <summary>The split of a convolution with <paramref name="filters"/> filters over <paramref name="patch"/> = channels·k·k inputs per position.</summary>
    public static ConvolutionSplit For(int filters, int patch)
    {
        var partials = (long)Groups * filters * patch;
        return partials <= PartialBudget
            ? new(Groups, $"split the batch: up to {Groups} groups of whole samples run on the cores, each with its own im2col, products and col2im; dweight adds the groups' partial [{filters}, {patch}] sums in group order")
            : new(1, $"split each product over the cores: {Groups} partial weight gradients [{filters}, {patch}] ({partials.ToString("N0", CultureInfo.InvariantCulture)} floats) would pass the {PartialBudget.ToString("N0", CultureInfo.InvariantCulture)}-float budget");
    }
}
