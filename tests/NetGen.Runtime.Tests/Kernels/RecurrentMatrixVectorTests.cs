using System;
using System.Runtime.Intrinsics.X86;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>Batch 1-3's forward step product against W_hh packed in 16-row blocks (<see cref="RecurrentMatrixVector"/>).</summary>
public class RecurrentMatrixVectorTests
{
    [Fact]
    public void Pack_lays_16_rows_of_each_16_column_chunk_side_by_side_with_zero_past_the_last_column()
    {
        if (!Avx512F.IsSupported)
        {
            return;
        }

        const int rows = 35, columns = 20; // two whole blocks, 3 rows left where they lie; a chunk of 16 and one of 4
        var weights = new float[rows * columns];
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = i + 1;
        }

        var packed = new float[RecurrentMatrixVector.PackedLength(rows, columns)];
        Assert.Equal(2 * 2 * 16 * 16, packed.Length);
        RecurrentMatrixVector.Pack(weights, rows, columns, packed);
        for (var block = 0; block < 2; block++)
        {
            for (var chunk = 0; chunk < 2; chunk++)
            {
                for (var row = 0; row < 16; row++)
                {
                    for (var lane = 0; lane < 16; lane++)
                    {
                        var column = (chunk * 16) + lane;
                        var expected = column < columns ? weights[(((block * 16) + row) * columns) + column] : 0;
                        Assert.Equal(expected, packed[(((((block * 2) + chunk) * 16) + row) * 16) + lane]);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 512, 128)]
    [InlineData(3, 35, 20)]
    [InlineData(2, 9, 33)]
    public void Product_matches_double_reference(int m, int n, int k)
    {
        if (!Avx512F.IsSupported)
        {
            return;
        }

        var a = GemmReference.Random(m * k, 31);
        var weights = GemmReference.Random(n * k, 32);
        var packed = new float[RecurrentMatrixVector.PackedLength(n, k)];
        RecurrentMatrixVector.Pack(weights, n, k, packed);
        var c = GemmReference.Random(m * n, 33); // overwritten
        RecurrentMatrixVector.Multiply(m, n, k, a, packed, weights, c);
        var (expected, scale) = GemmReference.Multiply(false, true, m, n, k, a, weights, new float[m * n], false, GemmReference.Epilogue.None);
        GemmReference.AssertClose(expected, scale, c, $"{m}x{n}x{k}");
    }

    [Fact]
    public void Product_refuses_weights_packed_for_another_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => RecurrentMatrixVector.Multiply(1, 32, 16, new float[16], new float[256], new float[512], new float[32]));
        Assert.Contains("packed W 256 (needs 512)", error.Message, StringComparison.Ordinal);
    }
}
