using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace NetGen.Losses;

/// <summary>
/// The weight of one output's loss in a network with several (<c>[Output(loss, Weight = w)]</c>): the total
/// is <c>Σ w · loss</c>, so backward seeds each output with <c>w</c> times its loss's gradient.
/// </summary>
public static class LossWeight
{
    /// <summary>Multiplies the loss gradient <paramref name="gradient"/> by <paramref name="weight"/> in place.</summary>
    public static void Scale<T>(Span<T> gradient, T weight)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        TensorPrimitives.Multiply(gradient, weight, gradient);
}
