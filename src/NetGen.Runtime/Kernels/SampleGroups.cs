using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace NetGen.Kernels;

/// <summary>
/// Fixed groups of <see cref="Size"/> samples for a batch sum. Each group's partial sum is computed
/// the same way whichever thread owns it, and the partials are added pairwise bottom-up (0+1, 2+3, …,
/// then 0+2, 4+6, …), so one thread, several threads, and a data-parallel run whose shards hold a
/// power-of-two number of whole groups (its all-reduce adding rank 0's sum to rank 1's) all round
/// the same way: the tree of a shard is a subtree of the whole batch's.
/// </summary>
internal static class SampleGroups
{
    /// <summary>
    /// Samples per group: small enough that the bench's batches (32, 64) and their data-parallel
    /// shards are multiples of it, large enough that a group's products stay wide.
    /// </summary>
    public const int Size = 8;

    /// <summary>Groups covering <paramref name="batch"/> samples (the last one may hold fewer).</summary>
    public static int Count(int batch) => (batch + Size - 1) / Size;

    /// <summary>The samples <c>[first, first + count)</c> of group <paramref name="group"/>.</summary>
    public static (int First, int Count) Samples(int group, int batch)
    {
        var first = group * Size;
        return (first, Math.Min(Size, batch - first));
    }

    /// <summary>
    /// Adds the <paramref name="groups"/> partials of <paramref name="stride"/> values each (partial
    /// <c>i</c> at <c>i · stride</c>) into the first, pairwise bottom-up, over the elements
    /// <c>[start, end)</c> of each partial only (so parts of a pool run can each take a range).
    /// </summary>
    public static void SumPairwise<T>(Span<T> partials, int groups, int stride, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var length = end - start;
        for (var step = 1; step < groups; step *= 2)
        {
            for (var left = 0; left + step < groups; left += 2 * step)
            {
                var target = partials.Slice((left * stride) + start, length);
                TensorPrimitives.Add(target, partials.Slice(((left + step) * stride) + start, length), target);
            }
        }
    }

    /// <summary>
    /// <see cref="SumPairwise{T}"/> over the elements <c>[start, end)</c> of partials laid out as
    /// <c>[weight | bias]</c>, then those elements of the sum written to (or, with
    /// <paramref name="accumulate"/>, added to) <paramref name="weightGradient"/> and
    /// <paramref name="biasGradient"/>, whose lengths make up the stride.
    /// </summary>
    public static void Sum<T>(Span<T> partials, int groups, int stride, int start, int end, Span<T> weightGradient, Span<T> biasGradient, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SumPairwise<T>(partials, groups, stride, start, end);
        var weightLength = weightGradient.Length;
        var weightEnd = Math.Min(end, weightLength);
        if (start < weightEnd)
        {
            Store(partials[start..weightEnd], weightGradient[start..weightEnd], accumulate);
        }

        var biasStart = Math.Max(start, weightLength);
        if (biasStart < end)
        {
            Store(partials[biasStart..end], biasGradient[(biasStart - weightLength)..(end - weightLength)], accumulate);
        }
    }

    private static void Store<T>(ReadOnlySpan<T> sum, Span<T> gradient, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (accumulate)
        {
            TensorPrimitives.Add(gradient, sum, gradient);
        }
        else
        {
            sum.CopyTo(gradient);
        }
    }
}
