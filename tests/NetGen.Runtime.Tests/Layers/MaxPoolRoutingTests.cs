using System;
using Xunit;

namespace NetGen.Runtime.Tests.Layers;

/// <summary>
/// Max pooling finds each window's maximum without branching on the data (the scalar 2 × 2 scan and
/// the AVX-512 path for stride 2); these check what those shortcuts must not change: ties, NaNs,
/// infinities of both signs, rows and columns no window covers.
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

    [Theory]
    [InlineData(7, 37, false)] // odd sizes: a row and a column left over; 18 windows a row, a full vector and a tail
    [InlineData(8, 64, true)] // exactly two vectors of windows a row, with NaNs
    [InlineData(5, 9, true)] // fewer windows than a vector
    public void Float_2x2_path_matches_the_scalar_scan_in_double(int height, int width, bool withNaNs)
    {
        // float takes the AVX-512 path; double runs the scalar scan. Values from a small set make ties common.
        const int batch = 2, channels = 3;
        var g = new WindowGeometry(channels, height, width, 2, 2, 0);
        var random = new SeededRandom(11);
        var x = new float[batch * g.InputSize];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = random.NextInt(5) - 2;
            if (withNaNs && random.NextInt(40) == 0)
            {
                x[i] = float.NaN;
            }
        }

        var outputs = batch * channels * g.OutputPlane;
        var dy = new float[outputs];
        for (var i = 0; i < dy.Length; i++)
        {
            dy[i] = i + 1;
        }

        var y = new float[outputs];
        var yDouble = new double[outputs];
        var dx = new float[x.Length];
        Array.Fill(dx, 99f); // stale values must not survive
        var dxDouble = new double[x.Length];
        var xDouble = Array.ConvertAll(x, v => (double)v);

        MaxPool2D.Forward<float>(x, y, batch, g);
        MaxPool2D.Forward<double>(xDouble, yDouble, batch, g);
        MaxPool2D.Backward<float>(dy, x, dx, batch, g, Activation.None, default);
        MaxPool2D.Backward<double>(Array.ConvertAll(dy, v => (double)v), xDouble, dxDouble, batch, g, Activation.None, default);

        for (var i = 0; i < outputs; i++)
        {
            Assert.True(double.IsNaN(yDouble[i]) ? float.IsNaN(y[i]) : y[i] == yDouble[i], $"y[{i}] = {y[i]}, expected {yDouble[i]}");
        }

        for (var i = 0; i < x.Length; i++)
        {
            Assert.True(dx[i] == dxDouble[i], $"dx[{i}] = {dx[i]}, expected {dxDouble[i]}");
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
