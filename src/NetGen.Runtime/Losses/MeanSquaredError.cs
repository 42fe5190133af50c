using System;
using System.Numerics;

namespace NetGen.Losses;

/// <summary><c>loss = mean((y − t)²)</c>, <c>∂loss/∂y = 2 (y − t) / count</c> (PyTorch's <c>MSELoss</c>).</summary>
public static class MeanSquaredError
{
    /// <summary>Mean loss; <paramref name="gradient"/>, when not empty, receives <c>∂loss/∂y</c>.</summary>
    public static T Compute<T>(ReadOnlySpan<T> outputs, ReadOnlySpan<T> targets, Span<T> gradient, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LossGuard.CheckTargets(targets.Length, count);
        var total = 0.0;
        var scale = T.CreateTruncating(2) / T.CreateTruncating(count);
        for (var i = 0; i < count; i++)
        {
            var difference = outputs[i] - targets[i];
            total += double.CreateTruncating(difference * difference);
            if (!gradient.IsEmpty)
            {
                gradient[i] = difference * scale;
            }
        }

        return T.CreateTruncating(total / count);
    }
}
