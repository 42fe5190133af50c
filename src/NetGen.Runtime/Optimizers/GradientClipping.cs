using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace NetGen.Optimizers;

/// <summary>Gradient clipping on a flat gradient buffer, as torch.nn.utils.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales <paramref name="gradients"/> in place by <c>maxNorm / (norm + 1e-6)</c> when their L2
    /// norm exceeds <paramref name="maxNorm"/>, as torch.nn.utils.clip_grad_norm_ does. Returns the
    /// norm before clipping (NaN or infinity when a gradient is not finite; nothing is scaled then).
    /// </summary>
    public static float ClipByNorm(Span<float> gradients, float maxNorm)
    {
        if (!float.IsFinite(maxNorm) || maxNorm <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be a finite number > 0.");
        }

        var norm = Norm(gradients);

        // PyTorch computes the coefficient with float32 tensors, so this does too.
        var coefficient = maxNorm / (norm + 1e-6f);
        if (coefficient < 1f)
        {
            TensorPrimitives.Multiply(gradients, coefficient, gradients);
        }

        return norm;
    }

    /// <summary>The L2 norm, summing squares in double so millions of gradients lose no precision.</summary>
    private static float Norm(ReadOnlySpan<float> values)
    {
        var sum = Vector<double>.Zero;
        var i = 0;
        for (; i <= values.Length - Lanes.Width; i += Lanes.Width)
        {
            Vector.Widen(Lanes.Load(values, i), out var low, out var high);
            sum += (low * low) + (high * high);
        }

        var total = Vector.Sum(sum);
        for (; i < values.Length; i++)
        {
            total += (double)values[i] * values[i];
        }

        return (float)Math.Sqrt(total);
    }
}
