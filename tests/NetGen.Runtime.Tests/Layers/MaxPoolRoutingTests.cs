using System;
using Xunit;

namespace NetGen.Runtime.Tests.Layers;

/// <summary>
/// Max pooling's backward finds each window's maximum again without branching on the data; these
/// windows check the cases that shortcut must not change: ties, NaNs and infinities of both signs.
/// </summary>
public sealed class MaxPoolRoutingTests
{
    [Theory]
    [InlineData(new[] { 1f, 1f, 1f, 1f }, 0)] // all tied: the first
    [InlineData(new[] { -0f, 0f, 0f, -0f }, 0)] // signed zeros tie
    [InlineData(new[] { 2f, 3f, 3f, 1f }, 1)] // tie between the second and third: the second
    [InlineData(new[] { 1f, 2f, 3f, 4f }, 3)]
    [InlineData(new[] { 5f, float.NaN, 9f, float.NaN }, 1)] // the first NaN wins
    [InlineData(new[] { float.NegativeInfinity, 1f, float.PositiveInfinity, 2f }, 2)] // ±∞ sum to NaN but are not NaN
    [InlineData(new[] { float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity }, 0)]
    public void Gradient_goes_to_the_first_maximum_of_a_2x2_window(float[] window, int expected)
    {
        // The window sits in the middle of a 4 × 4 image pooled with stride 1, so its corner is not at index 0.
        var image = new float[16];
        Array.Fill(image, float.MinValue);
        image[5] = window[0];
        image[6] = window[1];
        image[9] = window[2];
        image[10] = window[3];
        var g = new WindowGeometry(1, 4, 4, 2, 1, 0);
        var dy = new float[9];
        dy[4] = 1; // the output of the middle window
        var dx = new float[16];

        MaxPool2D.Backward<float>(dy, image, dx, 1, g, Activation.None, default);

        var at = expected switch { 0 => 5, 1 => 6, 2 => 9, _ => 10 };
        for (var i = 0; i < 16; i++)
        {
            Assert.True(dx[i] == (i == at ? 1 : 0), $"dx[{i}] = {dx[i]}, the gradient belongs at {at}");
        }
    }

    [Fact]
    public void Forward_propagates_a_NaN()
    {
        var y = new float[1];

        MaxPool2D.Forward<float>([1, float.NaN, 3, 2], y, 1, new WindowGeometry(1, 2, 2, 2, 2, 0));

        Assert.True(float.IsNaN(y[0]));
    }
}
