using System;
using System.Numerics;

namespace NetGen.Losses;

/// <summary>The target transform of label smoothing: <c>y′ = Keep·y + Share</c>, Keep = 1 − ε, Share = ε / classes.</summary>
internal readonly record struct LabelSmoothing<T>(bool Active, T Keep, T Share)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Apply(T y) => Active ? (Keep * y) + Share : y;
}

/// <summary>Builds and checks <see cref="LabelSmoothing{T}"/>.</summary>
internal static class LabelSmoothing
{
    public static LabelSmoothing<T> Of<T>(T epsilon, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(epsilon >= T.Zero && epsilon <= T.One))
        {
            throw new ArgumentOutOfRangeException("labelSmoothing", epsilon, "Label smoothing must lie in [0, 1].");
        }

        return new LabelSmoothing<T>(epsilon != T.Zero, T.One - epsilon, epsilon / T.CreateTruncating(classes));
    }
}
