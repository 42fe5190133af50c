using System;
using System.Runtime.Intrinsics;
using Xunit;

namespace NetGen.Runtime.Tests.Layers;

/// <summary>
/// The float LSTM cell's backward pass on AVX-512 (<c>LstmCellFloat.Backward</c>) against its formulas in double:
/// hidden sizes of whole 16-lane blocks, with a scalar tail, and below one block; the first step (no previous
/// cell, so no forget-gate gradient) and a later one.
/// </summary>
public class LstmCellFloatTests
{
    [Theory]
    [InlineData(16, true)]
    [InlineData(35, true)]
    [InlineData(35, false)]
    [InlineData(5, true)]
    public void Backward_matches_the_formulas_in_double(int hidden, bool hasPrevious)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            return; // the generic cell runs instead; LstmPrecisionTests covers it
        }

        var random = new Random(hidden);
        float[] Values(int length, float low, float high)
        {
            var values = new float[length];
            for (var i = 0; i < length; i++)
            {
                values[i] = low + ((high - low) * random.NextSingle());
            }

            return values;
        }

        // Activated gates lie in (0, 1) (σ) and (−1, 1) (tanh, the g row); states and gradients anywhere.
        var gates = Values(4 * hidden, 0.02f, 0.98f);
        var g = Values(hidden, -0.95f, 0.95f);
        g.CopyTo(gates, 2 * hidden);
        var (dh, carried, cell) = (Values(hidden, -2, 2), Values(hidden, -1, 1), Values(hidden, -3, 3));
        var previous = hasPrevious ? Values(hidden, -3, 3) : [];
        var expected = Expected(gates, dh, carried, previous, cell, hidden);

        var recurrent = new float[4 * hidden];
        var (actualGates, actualDh, actualCarried) = ((float[])gates.Clone(), (float[])dh.Clone(), (float[])carried.Clone());
        LstmCellFloat.Backward(actualGates, recurrent, actualDh, actualCarried, previous, cell);

        for (var j = 0; j < 4 * hidden; j++)
        {
            AssertClose(expected.Gates[j], actualGates[j], $"gate gradient {j}");
            Assert.Equal(actualGates[j], recurrent[j]); // LSTM's recurrent side is the input side
        }

        for (var j = 0; j < hidden; j++)
        {
            AssertClose(expected.Carried[j], actualCarried[j], $"carried dc {j}");
            Assert.Equal(0f, actualDh[j]);
        }
    }

    [Fact]
    public void Backward_refuses_spans_shorter_than_the_hidden_size_asks()
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            return;
        }

        var error = Assert.Throws<ArgumentException>(() => LstmCellFloat.Backward(new float[60], new float[64], new float[16], new float[16], [], new float[16]));
        Assert.Contains("hidden size 16", error.Message, StringComparison.Ordinal);
    }

    private static (double[] Gates, double[] Carried) Expected(float[] gates, float[] dh, float[] carried, float[] previous, float[] cell, int hidden)
    {
        var (gradients, dc) = (new double[4 * hidden], new double[hidden]);
        for (var j = 0; j < hidden; j++)
        {
            double i = gates[j], f = gates[hidden + j], g = gates[(2 * hidden) + j], o = gates[(3 * hidden) + j];
            var tanhC = Math.Tanh(cell[j]);
            var total = ((1 - (tanhC * tanhC)) * o * dh[j]) + carried[j];
            gradients[j] = total * g * i * (1 - i);
            gradients[hidden + j] = previous.Length == 0 ? 0 : total * previous[j] * f * (1 - f);
            gradients[(2 * hidden) + j] = total * i * (1 - (g * g));
            gradients[(3 * hidden) + j] = dh[j] * tanhC * o * (1 - o);
            dc[j] = total * f;
        }

        return (gradients, dc);
    }

    private static void AssertClose(double expected, float actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-5 * (1 + Math.Abs(expected)), $"{what}: float {actual}, double {expected}");
}
