using System;
using NetGen;
using NetGen.Kernels;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>The naive double-precision triple loop every GEMM path is checked against, with random inputs.</summary>
public static class GemmReference
{
    /// <summary>Uniform values in [-1, 1) from a fixed seed.</summary>
    public static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    /// <summary>
    /// The expected C in double, and for each element the sum of |a·b| over k, which bounds the
    /// rounding error of any float summation order.
    /// </summary>
    public static (double[] Expected, double[] Scale) Multiply(
        bool transposeA, bool transposeB, int m, int n, int k, float[] a, float[] b, float[] initialC, bool accumulate, Epilogue epilogue)
    {
        var expected = new double[m * n];
        var scale = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = accumulate ? initialC[(i * n) + j] : 0, magnitude = Math.Abs(sum);
                for (var p = 0; p < k; p++)
                {
                    double product = (double)(transposeA ? a[(p * m) + i] : a[(i * k) + p]) * (transposeB ? b[(j * k) + p] : b[(p * n) + j]);
                    sum += product;
                    magnitude += Math.Abs(product);
                }

                expected[(i * n) + j] = epilogue.Apply(sum, i, j, n);
                scale[(i * n) + j] = magnitude;
            }
        }

        return (expected, scale);
    }

    /// <summary>Asserts that <paramref name="actual"/> matches the reference within float rounding.</summary>
    public static void AssertClose(double[] expected, double[] scale, ReadOnlySpan<float> actual, string context)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            // Float summation of up to ~1000 terms loses well under 1e-5 of the magnitude summed, while a
            // missing, doubled or misplaced term changes the result by about one term, ~1e-3 of it or more.
            var tolerance = (1e-5 * (scale[i] + 1)) + (1e-5 * Math.Abs(expected[i]));
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
            {
                throw new Xunit.Sdk.XunitException($"{context}: element {i} is {actual[i]}, expected {expected[i]} (tolerance {tolerance}).");
            }
        }
    }

    /// <summary>A <see cref="GemmEpilogue{T}"/> held in arrays, so test cases can carry it and the reference can apply it in double.</summary>
    public sealed record Epilogue(float[]? RowBias, float[]? ColumnBias, Activation Activation, Activation DerivativeOf, float[]? DerivativeSaved, string Name)
    {
        public static Epilogue None { get; } = new(null, null, Activation.None, Activation.None, null, "none");

        public GemmEpilogue<float> ToGemm() => new()
        {
            RowBias = RowBias,
            ColumnBias = ColumnBias,
            Activation = Activation,
            DerivativeOf = DerivativeOf,
            DerivativeSaved = DerivativeSaved,
        };

        public double Apply(double value, int i, int j, int n)
        {
            var v = value + (RowBias?[i] ?? 0) + (ColumnBias?[j] ?? 0);
            v = Activations.Apply(Activation, v);
            return DerivativeOf == Activation.None ? v : v * Activations.Derivative(DerivativeOf, (double)DerivativeSaved![(i * n) + j]);
        }

        public override string ToString() => Name;
    }
}
