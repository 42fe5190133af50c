using System;
using System.Linq;
using Xunit;

namespace NetGen.Runtime.Tests.Gradients;

/// <summary>
/// <see cref="ConvolutionAlgorithm.Direct"/> against im2col: the forward pass bit for bit (the same sums
/// in the same order), the bias and input gradients bit for bit (they are im2col's), and the weight
/// gradient, summed in another order, against the float64 im2col gradient of the same values.
/// </summary>
public sealed class DirectConvolutionTests
{
    public static TheoryData<int, int, int, int, int, int> Layers => new()
    {
        // batch, channels, height, width, filters, kernel
        { 11, 1, 28, 28, 16, 3 }, // the MNIST CNN's conv1, in two sample groups (8 + 3); its 9 values a patch leave the weight gradient to im2col
        { 2, 3, 30, 150, 32, 3 }, // Chollet's conv1 on fewer rows: 148 outputs a row, three 48-pixel blocks and a tail each
        { 3, 3, 9, 40, 5, 3 }, // 5 filters: a partial filter block
        { 1, 2, 12, 13, 9, 5 }, // a 5×5 kernel, 9 filters (8 + 1), 50 taps: not a multiple of 3
        { 9, 7, 5, 5, 3, 2 }, // a plane shorter than one vector
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Forward_matches_im2col_bitwise(int batch, int channels, int height, int width, int filters, int kernel)
    {
        var g = new WindowGeometry(channels, height, width, kernel, 1, 0);
        var (x, weight, bias) = Operands(batch, g, filters, seed: 5);
        foreach (var activation in new[] { Activation.ReLU, Activation.None, Activation.Tanh, Activation.GELU })
        {
            float[] expected = new float[batch * filters * g.OutputPlane], expectedPre = new float[expected.Length];
            float[] actual = new float[expected.Length], actualPre = new float[expected.Length];
            Conv2D.Forward<float>(x, weight, bias, expected, expectedPre, batch, g, filters, activation);
            Conv2D.Forward<float>(x, weight, bias, actual, actualPre, batch, g, filters, activation, ConvolutionAlgorithm.Direct);
            Assert.Equal(expected, actual);
            Assert.Equal(expectedPre, actualPre);
        }

        float[] noBias = new float[batch * filters * g.OutputPlane], noBiasDirect = new float[noBias.Length];
        Conv2D.Forward<float>(x, weight, default, noBias, default, batch, g, filters, Activation.None);
        Conv2D.Forward<float>(x, weight, default, noBiasDirect, default, batch, g, filters, Activation.None, ConvolutionAlgorithm.Direct);
        Assert.Equal(noBias, noBiasDirect);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Backward_matches_im2col(int batch, int channels, int height, int width, int filters, int kernel)
    {
        var g = new WindowGeometry(channels, height, width, kernel, 1, 0);
        var (x, weight, _) = Operands(batch, g, filters, seed: 7);
        var dz = Values(batch * filters * g.OutputPlane, new SeededRandom(8));
        var saved = Values(x.Length, new SeededRandom(9));
        float[] expectedDw = new float[weight.Length], expectedDb = new float[filters], expectedDx = new float[x.Length];
        float[] dw = new float[weight.Length], db = new float[filters], dx = new float[x.Length];
        Conv2D.Backward<float>(dz, x, weight, expectedDw, expectedDb, expectedDx, batch, g, filters, Activation.ReLU, saved);
        Conv2D.Backward<float>(dz, x, weight, dw, db, dx, batch, g, filters, Activation.ReLU, saved, algorithm: ConvolutionAlgorithm.Direct);
        Assert.Equal(expectedDb, db);
        Assert.Equal(expectedDx, dx);
        AssertClose(ExactWeightGradient(dz, x, batch, g, filters, pooled: null), dw);

        // Accumulating adds this pass's gradient to what is there.
        var twice = (float[])dw.Clone();
        Conv2D.Backward<float>(dz, x, weight, twice, default, default, batch, g, filters, Activation.None, default, accumulate: true, algorithm: ConvolutionAlgorithm.Direct);
        AssertClose(dw.Select(v => 2.0 * v).ToArray(), twice);
    }

    [Theory]
    [InlineData(11, 1, 28, 28, 16, 2, 2)] // the MNIST CNN's conv1 and pool1, in one band
    [InlineData(2, 3, 31, 150, 32, 2, 2)] // Chollet's conv1 and pool1 on fewer rows, in bands of 4 pooled rows: the pooling drops the last row
    [InlineData(3, 3, 12, 11, 5, 2, 2)] // a 10 × 9 output: the pooling drops the last row and column
    [InlineData(2, 3, 40, 150, 32, 3, 2)] // overlapping 3 × 3 windows at stride 2: bands share a convolution row
    public void Pooled_matches_im2col(int batch, int channels, int height, int width, int filters, int poolWindow, int poolStride)
    {
        var g = new WindowGeometry(channels, height, width, 3, 1, 0);
        var p = new WindowGeometry(filters, g.OutputHeight, g.OutputWidth, poolWindow, poolStride, 0);
        var (x, weight, bias) = Operands(batch, g, filters, seed: 11);
        var dy = Values(batch * filters * p.OutputPlane, new SeededRandom(12));
        float[] expected = new float[dy.Length], actual = new float[dy.Length];
        int[] expectedAt = new int[dy.Length], actualAt = new int[dy.Length];
        PooledConvolution.Forward<float>(x, weight, bias, expected, expectedAt, batch, g, filters, p);
        PooledConvolution.Forward<float>(x, weight, bias, actual, actualAt, batch, g, filters, p, ConvolutionAlgorithm.Direct);
        Assert.Equal(expected, actual);
        Assert.Equal(expectedAt, actualAt);

        float[] expectedDw = new float[weight.Length], expectedDb = new float[filters], expectedDx = new float[x.Length];
        float[] dw = new float[weight.Length], db = new float[filters], dx = new float[x.Length];
        PooledConvolution.Backward<float>(dy, expected, expectedAt, x, weight, expectedDw, expectedDb, expectedDx, batch, g, filters, p, Activation.None, default);
        PooledConvolution.Backward<float>(dy, actual, actualAt, x, weight, dw, db, dx, batch, g, filters, p, Activation.None, default, algorithm: ConvolutionAlgorithm.Direct);
        Assert.Equal(expectedDb, db);
        Assert.Equal(expectedDx, dx);
        var (exactDw, exactDb) = ExactPooledGradients(dy, x, batch, g, filters, p, actual, actualAt);
        AssertClose(exactDw, dw);

        // A first layer (no dx) rebuilds the convolution gradient band by band from the pooled one
        // (DirectConvolution.PooledWeightGradient): db summed in another order too.
        float[] firstDw = new float[weight.Length], firstDb = new float[filters];
        PooledConvolution.Backward<float>(dy, actual, actualAt, x, weight, firstDw, firstDb, default, batch, g, filters, p, Activation.None, default, algorithm: ConvolutionAlgorithm.Direct);
        AssertClose(exactDw, firstDw);
        AssertClose(exactDb, firstDb);
    }

    [Fact]
    public void Rejects_a_geometry_it_cannot_compute()
    {
        var strided = new WindowGeometry(1, 7, 7, 3, 2, 0);
        var error = Assert.Throws<ArgumentException>(() => Conv2D.Forward<float>(new float[49], new float[9], default, new float[9], default, 1, strided, 1, Activation.None, ConvolutionAlgorithm.Direct));
        Assert.Equal("algorithm", error.ParamName);
        Assert.Contains("stride 1 and no padding", error.Message, StringComparison.Ordinal);

        var padded = new WindowGeometry(1, 6, 6, 3, 1, 1);
        Assert.Throws<ArgumentException>(() => Conv2D.Backward<float>(new float[36], new float[36], new float[9], new float[9], default, default, 1, padded, 1, Activation.None, default, algorithm: ConvolutionAlgorithm.Direct));
    }

    [Fact]
    public void Rejects_an_algorithm_computed_elsewhere()
    {
        var g = new WindowGeometry(1, 6, 6, 3, 1, 0);
        var error = Assert.Throws<ArgumentException>(() => Conv2D.Forward<float>(new float[36], new float[9], default, new float[16], default, 1, g, 1, Activation.None, ConvolutionAlgorithm.Winograd));
        Assert.Equal("algorithm", error.ParamName);
        var pool = new WindowGeometry(1, 4, 4, 2, 2, 0);
        Assert.Throws<ArgumentException>(() => PooledConvolution.Forward<float>(new float[36], new float[9], default, new float[4], new int[4], 1, g, 1, pool, ConvolutionAlgorithm.Auto));
    }

    /// <summary><c>dW</c> and <c>db</c> in float64 of a pooled layer: the pooled gradient routed to its positions where the pooled output is positive.</summary>
    private static (double[] Dw, double[] Db) ExactPooledGradients(float[] dy, float[] x, int batch, in WindowGeometry g, int filters, in WindowGeometry pool, float[] y, int[] at)
    {
        var db = new double[filters];
        for (var o = 0; o < dy.Length; o++)
        {
            if (y[o] > 0)
            {
                db[o / pool.OutputPlane % filters] += dy[o];
            }
        }

        return (ExactWeightGradient(dy, x, batch, g, filters, (pool, y, at)), db);
    }

    /// <summary>
    /// <c>dW</c> in float64 through im2col from the same float values: the convolution gradient
    /// <paramref name="dz"/>, or for a pooled layer the pooled gradient routed to its positions where
    /// the pooled output is positive.
    /// </summary>
    private static double[] ExactWeightGradient(float[] dz, float[] x, int batch, in WindowGeometry g, int filters, (WindowGeometry Pool, float[] Y, int[] At)? pooled)
    {
        var plane = g.OutputPlane;
        var gradient = new double[batch * filters * plane];
        if (pooled is { } routing)
        {
            var (pool, y, at) = routing;
            for (var o = 0; o < dz.Length; o++)
            {
                if (y[o] > 0)
                {
                    gradient[(o / pool.OutputPlane * plane) + at[o]] += dz[o];
                }
            }
        }
        else
        {
            for (var i = 0; i < dz.Length; i++)
            {
                gradient[i] = dz[i];
            }
        }

        var dw = new double[filters * g.PatchSize];
        Conv2D.Backward<double>(gradient, x.Select(v => (double)v).ToArray(), new double[dw.Length], dw, default, default, batch, g, filters, Activation.None, default);
        return dw;
    }

    /// <summary>Float sums of a few thousand terms in another order: within 1e-5 of the largest gradient, and not all zero.</summary>
    private static void AssertClose(double[] expected, float[] actual)
    {
        var scale = expected.Max(Math.Abs);
        Assert.True(scale > 0, "every expected gradient is zero");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * scale, $"dW[{i}]: {actual[i]} against {expected[i]}");
        }
    }

    internal static (float[] X, float[] Weight, float[] Bias) Operands(int batch, in WindowGeometry g, int filters, ulong seed)
    {
        var random = new SeededRandom(seed);
        return (Values(batch * g.InputSize, random), Values(filters * g.PatchSize, random), Values(filters, random));
    }

    internal static float[] Values(int length, SeededRandom random)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = random.NextUniform(-1f, 1f);
        }

        return values;
    }
}
