using System;
using System.Linq;
using Xunit;

namespace NetGen.Runtime.Tests.Layers;

/// <summary>
/// The LSTM cell's vector lanes. The gradient checks and golden tests run double with hidden sizes of 3 and 7,
/// which fill at most one <c>Vector&lt;double&gt;</c> and no <c>Vector&lt;float&gt;</c>; here a hidden size of
/// 19 (whole vectors and a remainder at any vector width up to 512 bits) runs the lanes and the scalar tail:
/// double against finite differences, float against double at batch 1 (the matrix-vector step product) and
/// batch 5 (the tiled one). On AVX-512 the float cell is <c>LstmCellFloat</c>: 19 runs one 16-lane
/// block of it (its own exponential) and its scalar tail.
/// </summary>
public class LstmPrecisionTests
{
    private const int Steps = 4, Inputs = 6, Hidden = 19, Rows = 4 * Hidden;

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Float_forward_and_backward_match_double(int batch)
    {
        var (x, weightIh, weightHh, biasIh, biasHh, dy) = Tensors(batch, seed: 13);
        var expected = Run<double>(x, weightIh, weightHh, biasIh, biasHh, dy, batch);
        var actual = Run<float>(Array.ConvertAll(x, v => (float)v), Array.ConvertAll(weightIh, v => (float)v), Array.ConvertAll(weightHh, v => (float)v), Array.ConvertAll(biasIh, v => (float)v), Array.ConvertAll(biasHh, v => (float)v), Array.ConvertAll(dy, v => (float)v), batch);
        string[] names = ["y", "dW_ih", "dW_hh", "db_ih", "db_hh", "dx"];
        for (var t = 0; t < names.Length; t++)
        {
            for (var i = 0; i < expected[t].Length; i++)
            {
                var tolerance = 1e-4 * (1 + Math.Abs(expected[t][i]));
                Assert.True(Math.Abs(actual[t][i] - expected[t][i]) <= tolerance, $"batch {batch}, {names[t]}[{i}]: float {actual[t][i]}, double {expected[t][i]}");
            }
        }
    }

    /// <summary>
    /// The double backward at hidden 19 against central differences of the forward (loss Σ dy·y), so the vector
    /// lanes' formulas are checked too: the gradient checks' hidden size of 3 fills no <c>Vector&lt;double&gt;</c>.
    /// </summary>
    [Fact]
    public void Double_backward_matches_finite_differences_on_vector_lanes()
    {
        const int batch = 2;
        var (x, weightIh, weightHh, biasIh, biasHh, dy) = Tensors(batch, seed: 17);
        var analytic = Run<double>(x, weightIh, weightHh, biasIh, biasHh, dy, batch);
        double[][] inputs = [weightIh, weightHh, biasIh, biasHh, x];
        int[] gradientOf = [1, 2, 3, 4, 5]; // dW_ih, dW_hh, db_ih, db_hh, dx in Run's order
        for (var t = 0; t < inputs.Length; t++)
        {
            var values = inputs[t];
            for (var i = 0; i < values.Length; i += 3) // every third entry covers every gate row and lane position
            {
                const double step = 1e-6;
                var kept = values[i];
                values[i] = kept + step;
                var plus = Loss(Run<double>(x, weightIh, weightHh, biasIh, biasHh, dy, batch)[0], dy);
                values[i] = kept - step;
                var minus = Loss(Run<double>(x, weightIh, weightHh, biasIh, biasHh, dy, batch)[0], dy);
                values[i] = kept;
                var numeric = (plus - minus) / (2 * step);
                var exact = analytic[gradientOf[t]][i];
                Assert.True(Math.Abs(numeric - exact) <= 1e-6 * (1 + Math.Abs(exact)), $"tensor {t}, entry {i}: backward {exact}, finite differences {numeric}");
            }
        }
    }

    // Inputs, the four parameter tensors (small enough that no gate saturates) and the output's gradient.
    private static (double[] X, double[] WeightIh, double[] WeightHh, double[] BiasIh, double[] BiasHh, double[] Dy) Tensors(int batch, int seed)
    {
        var random = new Random(seed);
        double[] Values(int length, double scale)
        {
            var values = new double[length];
            for (var i = 0; i < length; i++)
            {
                values[i] = ((random.NextDouble() * 2) - 1) * scale;
            }

            return values;
        }

        return (Values(batch * Steps * Inputs, 1), Values(Rows * Inputs, 0.4), Values(Rows * Hidden, 0.4), Values(Rows, 0.2), Values(Rows, 0.2), Values(batch * Steps * Hidden, 1));
    }

    private static double Loss(double[] y, double[] dy) => y.Zip(dy, (a, b) => a * b).Sum();

    private static double[][] Run<T>(T[] x, T[] weightIh, T[] weightHh, T[] biasIh, T[] biasHh, T[] dy, int batch)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var y = new T[batch * Steps * Hidden];
        var saved = new T[batch * LSTM.SavedPerSample(Steps, Hidden)];
        LSTM.Forward<T>(x, weightIh, weightHh, biasIh, biasHh, y, saved, batch, Steps, Inputs, Hidden, returnSequences: true);
        T[] dWeightIh = new T[weightIh.Length], dWeightHh = new T[weightHh.Length], dBiasIh = new T[Rows], dBiasHh = new T[Rows], dx = new T[x.Length];
        LSTM.Backward<T>(dy, x, weightIh, weightHh, saved, dWeightIh, dWeightHh, dBiasIh, dBiasHh, dx, batch, Steps, Inputs, Hidden, returnSequences: true, Activation.None, default);
        return [.. new[] { y, dWeightIh, dWeightHh, dBiasIh, dBiasHh, dx }.Select(values => Array.ConvertAll(values, double.CreateTruncating))];
    }
}
