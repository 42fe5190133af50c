using NetGen.Kernels;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// The bias gradients' row sums add each column in one order (0 or its old value, + row 0, + row 1, …) on
/// every path (eight vectors of columns at a time for float on AVX-512, one vector for double), so they give
/// a scalar loop's bits: the row-MNIST LSTM's <c>db_ih</c> (1,792 rows of 512), a step's <c>db_hh</c> (64
/// rows), a Dense sample group (8 rows of 128), and widths with a remainder of whole and masked vectors.
/// </summary>
public sealed class RowSumsTests
{
    [Theory]
    [InlineData(1792, 512)]
    [InlineData(64, 512)]
    [InlineData(8, 128)]
    [InlineData(5, 150)]
    [InlineData(3, 9)]
    public void Row_sums_equal_a_scalar_loop_bitwise(int rows, int width)
    {
        var values = GemmReference.Random(rows * width, 12);
        var wide = System.Array.ConvertAll(values, v => (double)v);
        foreach (var accumulate in new[] { false, true })
        {
            var (expected, actual) = (GemmReference.Random(width, 13), GemmReference.Random(width, 13));
            var (expectedWide, actualWide) = (System.Array.ConvertAll(expected, v => (double)v), System.Array.ConvertAll(actual, v => (double)v));
            for (var j = 0; j < width; j++)
            {
                (expected[j], expectedWide[j]) = accumulate ? (expected[j], expectedWide[j]) : (0, 0);
                for (var i = 0; i < rows; i++)
                {
                    expected[j] += values[(i * width) + j];
                    expectedWide[j] += wide[(i * width) + j];
                }
            }

            RowSums.Sum<float>(values, actual, rows, width, accumulate);
            RowSums.Sum<double>(wide, actualWide, rows, width, accumulate);

            Assert.Equal(expected, actual);
            Assert.Equal(expectedWide, actualWide);
        }
    }
}
