using System;
using NetGen.Optimizers;
using Xunit;

namespace NetGen.Runtime.Tests.Optimizers;

public sealed class GradientClippingTests
{
    [Fact]
    public void Gradients_above_the_norm_are_scaled_to_it()
    {
        // ‖(3, 4, 0)‖ = 5 > 1, so each value is scaled by 1 / (5 + 1e-6) (torch's epsilon), in float.
        float[] gradients = [3f, 4f, 0f];
        var norm = GradientClipping.ClipByNorm(gradients, 1f);
        Assert.Equal(5f, norm);
        var coefficient = 1f / (5f + 1e-6f);
        Assert.Equal([3f * coefficient, 4f * coefficient, 0f], gradients);
    }

    [Fact]
    public void Gradients_within_the_norm_are_left_alone()
    {
        // 41 values of 0.5 (body and tail of the vector loop): norm √(41 · 0.25) ≈ 3.2016 < 4.
        var gradients = new float[41];
        Array.Fill(gradients, 0.5f);
        var norm = GradientClipping.ClipByNorm(gradients, 4f);
        Assert.Equal(MathF.Sqrt(41 * 0.25f), norm, 6);
        Assert.All(gradients, g => Assert.Equal(0.5f, g));
    }

    [Fact]
    public void A_non_positive_max_norm_is_rejected()
    {
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByNorm(new float[3], 0f)).ParamName);
    }
}
