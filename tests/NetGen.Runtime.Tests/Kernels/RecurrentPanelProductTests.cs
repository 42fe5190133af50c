using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics.X86;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The recurrent layer's L1-blocked product (<see cref="RecurrentPanelProduct"/>): against the double reference with B
/// packed (as it lies or transposed, with and without a column bias) and unpacked, and bit for bit the same whichever
/// band of rows a call computes (the time loop's split of the batch relies on it).
/// </summary>
public class RecurrentPanelProductTests
{
    /// <summary>
    /// (m, n, k, A transposed): the row-MNIST LSTM's forward step (one depth block) and backward step (four), its
    /// input weight gradient <c>xᵀ·dz</c> over every step; rows, columns and depth the 4 × 64 tiles and 128-deep
    /// panels do not divide (a masked last vector); one row.
    /// </summary>
    public static IEnumerable<object[]> Shapes() =>
    [
        [64, 512, 128, false], [64, 128, 512, false], [28, 512, 1792, true], [7, 100, 300, false], [9, 36, 130, true], [1, 20, 3, false],
    ];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Product_matches_double_reference(int m, int n, int k, bool transposeA)
    {
        if (!Avx512F.IsSupported)
        {
            return;
        }

        var a = GemmReference.Random(m * k, 21);
        var b = GemmReference.Random(k * n, 22);
        var initial = GemmReference.Random(m * n, 23);
        var packed = Packed(b, k, n, transposed: false);
        foreach (var accumulate in new[] { false, true })
        {
            var c = (float[])initial.Clone();
            RecurrentPanelProduct.Multiply(m, n, k, a, transposeA, packed, c, accumulate);
            var (expected, scale) = GemmReference.Multiply(transposeA, false, m, n, k, a, b, initial, accumulate, GemmReference.Epilogue.None);
            GemmReference.AssertClose(expected, scale, c, $"packed {m}x{n}x{k} transposeA={transposeA} acc={accumulate}");

            c = (float[])initial.Clone();
            RecurrentPanelProduct.MultiplyUnpacked(m, n, k, a, transposeA, b, c, accumulate);
            GemmReference.AssertClose(expected, scale, c, $"unpacked {m}x{n}x{k} transposeA={transposeA} acc={accumulate}");
        }
    }

    /// <summary>Forward's <c>h·W_hhᵀ</c> and the input projection <c>x·W_ihᵀ + b_ih</c>: B packed straight from W <c>[n × k]</c>.</summary>
    [Theory]
    [InlineData(64, 512, 128)]
    [InlineData(28, 512, 28)]
    [InlineData(6, 70, 19)]
    public void Product_against_W_packed_transposed_with_a_column_bias_matches_double_reference(int m, int n, int k)
    {
        if (!Avx512F.IsSupported)
        {
            return;
        }

        var a = GemmReference.Random(m * k, 27);
        var weights = GemmReference.Random(n * k, 28);
        var bias = GemmReference.Random(n, 29);
        var c = GemmReference.Random(m * n, 30); // overwritten
        RecurrentPanelProduct.Multiply(m, n, k, a, false, Packed(weights, k, n, transposed: true), c, accumulate: false, bias);
        var (expected, scale) = GemmReference.Multiply(false, true, m, n, k, a, weights, new float[m * n], false, GemmReference.Epilogue.None);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                expected[(i * n) + j] += bias[j];
                scale[(i * n) + j] += Math.Abs(bias[j]);
            }
        }

        GemmReference.AssertClose(expected, scale, c, $"{m}x{n}x{k} with bias");
    }

    [Fact]
    public void Rows_computed_in_bands_equal_the_whole_product_bitwise()
    {
        if (!Avx512F.IsSupported)
        {
            return;
        }

        const int m = 13, n = 200, k = 300;
        var a = GemmReference.Random(m * k, 24);
        var b = GemmReference.Random(k * n, 25);
        var initial = GemmReference.Random(m * n, 26);
        var packed = Packed(b, k, n, transposed: false);
        var whole = (float[])initial.Clone();
        RecurrentPanelProduct.Multiply(m, n, k, a, false, packed, whole, accumulate: true);

        // Bands of 5, 5 and 3 rows: tiles of 4 in one call are single rows in another.
        var banded = (float[])initial.Clone();
        for (var first = 0; first < m; first += 5)
        {
            var rows = Math.Min(5, m - first);
            RecurrentPanelProduct.Multiply(rows, n, k, a.AsSpan(first * k), false, packed, banded.AsSpan(first * n), accumulate: true);
        }

        Assert.Equal(whole, banded);
    }

    [Fact]
    public void Product_and_packing_refuse_buffers_too_small()
    {
        var error = Assert.Throws<ArgumentException>(() => RecurrentPanelProduct.Multiply(4, 64, 8, new float[31], false, new float[512], new float[256], false));
        Assert.Contains("4x8 by 8x64", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => RecurrentPanelProduct.Multiply(4, 70, 8, new float[32], false, new float[1024], new float[280], false, new float[69]));
        Assert.Contains("the bias 69", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<ArgumentException>(() => RecurrentPanelProduct.Pack(new float[8 * 70], 8, 70, false, new float[8 * 70]));
        Assert.Contains("1024 packed floats", error.Message, StringComparison.Ordinal);
    }

    private static float[] Packed(float[] source, int k, int n, bool transposed)
    {
        var packed = new float[RecurrentPanelProduct.PackedLength(k, n)];
        RecurrentPanelProduct.Pack(source, k, n, transposed, packed);
        return packed;
    }
}
