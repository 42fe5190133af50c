using System;
using System.Numerics;

namespace NetGen.Losses;

/// <summary>
/// Sigmoid and binary cross-entropy as one op on logits (PyTorch's <c>BCEWithLogitsLoss</c>):
/// <c>loss = mean(max(z, 0) − z·t + log(1 + e^−|z|))</c>, stable for any <c>z</c>, and
/// <c>∂loss/∂z = (σ(z) − t) / count</c>.
/// </summary>
public static class BinaryCrossEntropy
{
    /// <summary>Mean loss against 0/1 labels, one per output value.</summary>
    public static T Compute<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, Span<T> gradient, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LossGuard.CheckLabels(labels, count, 2);
        var total = 0.0;
        var inverse = T.One / T.CreateTruncating(count);
        for (var i = 0; i < count; i++)
        {
            total += Element(logits[i], labels[i] == 1 ? T.One : T.Zero, gradient, i, inverse);
        }

        return T.CreateTruncating(total / count);
    }

    /// <summary>Mean loss against targets in [0, 1], one per output value.</summary>
    public static T Compute<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LossGuard.CheckTargets(targets.Length, count);
        var total = 0.0;
        var inverse = T.One / T.CreateTruncating(count);
        for (var i = 0; i < count; i++)
        {
            total += Element(logits[i], targets[i], gradient, i, inverse);
        }

        return T.CreateTruncating(total / count);
    }

    private static double Element<T>(T z, T t, Span<T> gradient, int i, T inverse)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!gradient.IsEmpty)
        {
            gradient[i] = ((T.One / (T.One + T.Exp(-z))) - t) * inverse;
        }

        return double.CreateTruncating(T.Max(z, T.Zero) - (z * t) + T.Log(T.One + T.Exp(-T.Abs(z))));
    }
}
