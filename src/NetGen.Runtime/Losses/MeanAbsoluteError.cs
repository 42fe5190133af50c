using System;
using System.Numerics;

namespace NetGen.Losses;

/// <summary><c>loss = mean(|y − t|)</c>, <c>∂loss/∂y = sign(y − t) / count</c> (PyTorch's <c>L1Loss</c>; 0 at a tie).</summary>
public static class MeanAbsoluteError
{
    /// <summary>Mean loss; <paramref name="gradient"/>, when not empty, receives <c>∂loss/∂y</c>.</summary>
    public static T Compute<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, Span<T> gradient, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LossGuard.CheckTargets(targets.Length, count);
        var total = 0.0;
        var inverse = T.One / T.CreateTruncating(count);
        for (var i = 0; i < count; i++)
        {
            var difference = outputs[i] - targets[i];
            total += double.CreateTruncating(T.Abs(difference));
            if (!gradient.IsEmpty)
            {
                gradient[i] = T.CreateTruncating(T.Sign(difference)) * inverse;
            }
        }

        return T.CreateTruncating(total / count);
    }
}
