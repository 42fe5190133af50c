using System;
using System.Collections.Generic;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

public class GemmTests
{
    /// <summary>
    /// Shapes (m, n, k): the smallest, sizes that are multiples of no tile or vector width, one exact
    /// AVX-512 tile, and products that cross each cache block (k over 384, m over 1152, n over 384).
    /// </summary>
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (7, 13, 5), (12, 32, 8), (33, 65, 17), (127, 129, 131), (13, 31, 800), (1160, 9, 7), (9, 790, 11),
    ];

    public static IEnumerable<object[]> KernelCases()
    {
        foreach (GemmKernelKind kernel in Enum.GetValues<GemmKernelKind>())
        {
            if (!GemmKernel.IsSupported(kernel))
            {
                continue;
            }

            foreach (var (m, n, k) in Shapes)
            {
                foreach (var transposeA in new[] { false, true })
                {
                    foreach (var transposeB in new[] { false, true })
                    {
                        yield return [kernel.ToString(), m, n, k, transposeA, transposeB];
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(KernelCases))]
    public void Float_kernel_matches_double_reference(string kernelName, int m, int n, int k, bool transposeA, bool transposeB)
    {
        var kernel = Enum.Parse<GemmKernelKind>(kernelName);
        var a = GemmReference.Random(m * k, 1);
        var b = GemmReference.Random(k * n, 2);
        var initial = GemmReference.Random(m * n, 3);
        foreach (var accumulate in new[] { false, true })
        {
            var c = (float[])initial.Clone();
            Gemm.MultiplyFloat(transposeA, transposeB, m, n, k, a, b, c, accumulate, default, kernel, maxThreads: 1);
            var (expected, scale) = GemmReference.Multiply(transposeA, transposeB, m, n, k, a, b, initial, accumulate, GemmReference.Epilogue.None);
            GemmReference.AssertClose(expected, scale, c, $"{kernel} {m}x{n}x{k} tA={transposeA} tB={transposeB} acc={accumulate}");
        }
    }

    /// <summary>
    /// An AVX-512 edge tile of up to 8 rows runs the 4-row kernel (the MLP's batch 64 ends on a tile of 4): its
    /// rows must be bitwise the rows the 12-row kernel gives when the same rows of A lie inside a full tile.
    /// </summary>
    [Theory]
    [InlineData(64, 128, 784, false)] // the MLP's forward: 5 full tiles and one of 4 rows, three depth blocks
    [InlineData(64, 128, 784, true)]
    [InlineData(7, 40, 33, false)] // 2 four-row calls, the second half padding; a 32-column and an 8-column panel
    [InlineData(13, 32, 5, true)] // one full tile and an edge tile of 1 row
    public void Avx512_edge_rows_equal_the_same_rows_inside_a_full_tile_bitwise(int m, int n, int k, bool accumulate)
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            return;
        }

        var full = (m + 11) / 12 * 12;
        var a = GemmReference.Random(full * k, 4);
        var b = GemmReference.Random(n * k, 5);
        var initial = GemmReference.Random(full * n, 6);
        var edge = initial[..(m * n)];
        var tiled = (float[])initial.Clone();

        Gemm.MultiplyFloat(false, true, m, n, k, a, b, edge, accumulate, default, GemmKernelKind.Avx512, maxThreads: 1);
        Gemm.MultiplyFloat(false, true, full, n, k, a, b, tiled, accumulate, default, GemmKernelKind.Avx512, maxThreads: 1);

        Assert.Equal(tiled[..(m * n)], edge);
    }

    [Fact]
    public void Every_kernel_this_cpu_supports_is_tested()
    {
        // The machine this suite was written on has AVX-512, so all three kernels must take part there.
        Assert.True(GemmKernel.IsSupported(GemmKernelKind.Portable));
        Assert.Equal(GemmKernelKind.Portable, GemmKernel.For(GemmKernelKind.Portable).Kind);
        if (System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            Assert.Equal(GemmKernelKind.Avx512, GemmKernel.For(GemmKernelKind.Auto).Kind);
            Assert.Equal(GemmKernelKind.Avx2, GemmKernel.For(GemmKernelKind.Avx2).Kind);
        }
    }

    [Fact]
    public void Dot_kernel_is_chosen_only_where_its_horizontal_sums_amortise()
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            return;
        }

        // An LSTM's input projection (row-MNIST, batch 64: 28 features into 4 · 128 gates) is too shallow:
        // one 16-lane sum per element of C costs more than packing.
        Assert.False(GemmDirect.Suits(64 * 28, 512, 28, transposeA: false, transposeB: true));
        Assert.False(GemmDirect.Suits(28, 512, 28, transposeA: false, transposeB: true));

        // Its recurrent step h·W_hhᵀ at batch 1 stays direct: packing W_hh for one row costs more. At batch 64
        // (whole 12-row tiles), and for the MLP's first layer at batch 64 (784 deep), packing wins; the LSTM
        // itself runs batches of 4 and more against W_hh transposed once per pass (RecurrentProduct).
        Assert.True(GemmDirect.Suits(1, 512, 128, transposeA: false, transposeB: true));
        Assert.False(GemmDirect.Suits(64, 512, 128, transposeA: false, transposeB: true));
        Assert.False(GemmDirect.Suits(64, 128, 784, transposeA: false, transposeB: true));

        // Few rows of a deep product, or an output narrower than one packed tile at batch 64, stay direct.
        Assert.True(GemmDirect.Suits(16, 128, 784, transposeA: false, transposeB: true));
        Assert.True(GemmDirect.Suits(64, 10, 128, transposeA: false, transposeB: true));
        Assert.False(GemmDirect.Suits(256, 10, 128, transposeA: false, transposeB: true));
    }

    [Fact]
    public void Broadcast_kernel_takes_the_products_whose_B_stays_in_cache_at_any_depth()
    {
        if (!System.Runtime.Intrinsics.X86.Avx512F.IsSupported)
        {
            return;
        }

        // Square 64, and products up to 1M multiply-adds whose B (a multiple of 64 wide) stays in cache, run direct.
        Assert.True(GemmDirect.Suits(64, 64, 64, transposeA: false, transposeB: false));
        Assert.True(GemmDirect.Suits(32, 128, 128, transposeA: false, transposeB: false));
        Assert.True(GemmDirect.Suits(64, 128, 10, transposeA: false, transposeB: false));

        // Square 128 (2M multiply-adds) and 256 (B of 256 KiB), a width the 64-wide tile does not divide, and a wide B pack.
        Assert.False(GemmDirect.Suits(128, 128, 128, transposeA: false, transposeB: false));
        Assert.False(GemmDirect.Suits(256, 256, 256, transposeA: false, transposeB: false));
        Assert.False(GemmDirect.Suits(96, 96, 96, transposeA: false, transposeB: false));
        Assert.False(GemmDirect.Suits(64, 784, 128, transposeA: false, transposeB: false));
        Assert.False(GemmDirect.Suits(144, 3872, 32, transposeA: false, transposeB: false));
    }

    [Fact]
    public void Public_float_path_matches_reference_with_transposes_and_epilogue()
    {
        const int m = 40, n = 50, k = 60;
        var a = GemmReference.Random(m * k, 4);
        var b = GemmReference.Random(k * n, 5);
        var bias = GemmReference.Random(n, 6);
        var c = new float[m * n];
        Gemm.Multiply<float>(true, true, m, n, k, a, b, c, false, new GemmEpilogue<float> { ColumnBias = bias, Activation = Activation.Tanh });
        var epilogue = new GemmReference.Epilogue(null, bias, Activation.Tanh, Activation.None, null, "bias+tanh");
        var (expected, scale) = GemmReference.Multiply(true, true, m, n, k, a, b, c, false, epilogue);
        GemmReference.AssertClose(expected, scale, c, "public float path");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Double_path_matches_reference(bool transposeA, bool transposeB)
    {
        const int m = 9, n = 11, k = 7;
        var random = new Random(7);
        double[] a = new double[m * k], b = new double[k * n], c = new double[m * n], bias = new double[m];
        foreach (var array in new[] { a, b, c, bias })
        {
            for (var i = 0; i < array.Length; i++)
            {
                array[i] = (random.NextDouble() * 2) - 1;
            }
        }

        var initial = (double[])c.Clone();
        Gemm.Multiply<double>(transposeA, transposeB, m, n, k, a, b, c, true, new GemmEpilogue<double> { RowBias = bias, Activation = Activation.Sigmoid });
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = initial[(i * n) + j];
                for (var p = 0; p < k; p++)
                {
                    sum += (transposeA ? a[(p * m) + i] : a[(i * k) + p]) * (transposeB ? b[(j * k) + p] : b[(p * n) + j]);
                }

                Assert.Equal(1 / (1 + Math.Exp(-(sum + bias[i]))), c[(i * n) + j], 1e-12);
            }
        }
    }

    [Fact]
    public void Empty_depth_clears_or_keeps_c_then_applies_epilogue()
    {
        var bias = new[] { 1f, -2f, 3f };
        var c = new[] { 5f, 5f, 5f, 5f, 5f, 5f };
        Gemm.Multiply<float>(false, false, 2, 3, 0, [], [], c, true, new GemmEpilogue<float> { ColumnBias = bias, Activation = Activation.ReLU });
        Assert.Equal([6f, 3f, 8f, 6f, 3f, 8f], c);
        Gemm.Multiply<float>(false, false, 2, 3, 0, [], [], c, false, new GemmEpilogue<float> { ColumnBias = bias });
        Assert.Equal([1f, -2f, 3f, 1f, -2f, 3f], c);
    }

    [Fact]
    public void Bad_arguments_throw_with_the_argument_named()
    {
        var a = new float[6];
        var c = new float[4];
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply<float>(false, false, -1, 2, 3, a, a, c, false));
        var tooSmall = Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(false, false, 2, 2, 3, a, new float[5], c, false));
        Assert.Contains("B 5", tooSmall.Message, StringComparison.Ordinal);
        var rowBias = Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(false, false, 2, 2, 3, a, a, c, false, new GemmEpilogue<float> { RowBias = new float[1] }));
        Assert.Equal("epilogue", rowBias.ParamName);
        Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(false, false, 2, 2, 3, a, a, c, false, new GemmEpilogue<float> { ColumnBias = new float[1] }));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(false, false, 2, 2, 3, a, a, c, false, new GemmEpilogue<float> { Activation = Activation.Softmax }));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply<float>(false, false, 2, 2, 3, a, a, c, false, new GemmEpilogue<float> { DerivativeOf = Activation.ReLU, DerivativeSaved = new float[3] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.MaxThreads = 0);
    }
}
