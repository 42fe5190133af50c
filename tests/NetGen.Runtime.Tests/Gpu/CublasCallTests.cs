using System;
using NetGen.Gpu;
using NetGen.Gpu.Cuda;
using Xunit;

namespace NetGen.Runtime.Tests.Gpu;

/// <summary>
/// The cuBLAS argument mapping, checked without a GPU: a column-major SGEMM written from cuBLAS's
/// documented semantics, given <see cref="CublasCall"/>'s arguments, must produce NetGen's row-major
/// C for every layout of A and B the generated code uses (plain, transposed, with offsets).
/// </summary>
public sealed class CublasCallTests
{
    private static readonly GpuBuffer Unused = new(0, 0);

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, true, true)]
    [InlineData(false, false, true)]
    public void ColumnMajorCallComputesTheRowMajorProduct(bool transposedA, bool transposedB, bool accumulate)
    {
        const int m = 5, n = 3, k = 4, aOffset = 2, bOffset = 7, cOffset = 1;
        var random = new SeededRandom(3);
        var a = Random(aOffset + (m * k) + 3, random);
        var b = Random(bOffset + (k * n) + 1, random);
        var (aRow, aColumn) = transposedA ? (1, m) : (k, 1);
        var (bRow, bColumn) = transposedB ? (1, k) : (n, 1);
        var gemm = new GpuGemm(m, n, k, Unused, aOffset, aRow, aColumn, Unused, bOffset, bRow, bColumn, Unused, cOffset, accumulate);
        var initial = Random(cOffset + (m * n), random);

        var expected = (float[])initial.Clone();
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = accumulate ? expected[cOffset + (i * n) + j] : 0f;
                for (var l = 0; l < k; l++)
                {
                    sum += a[aOffset + (i * aRow) + (l * aColumn)] * b[bOffset + (l * bRow) + (j * bColumn)];
                }

                expected[cOffset + (i * n) + j] = sum;
            }
        }

        var call = CublasCall.For(gemm) ?? throw new InvalidOperationException("no cuBLAS call for a plain layout");
        var actual = (float[])initial.Clone();
        ColumnMajorSgemm(call.TransposeB, call.TransposeA, n, m, k, b.AsSpan(bOffset), call.LeadingB, a.AsSpan(aOffset), call.LeadingA, accumulate ? 1 : 0, actual.AsSpan(cOffset), n);

        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 5);
        }
    }

    [Fact]
    public void OperandStridedBothWaysIsLeftToTheTiledKernel()
    {
        var gemm = new GpuGemm(4, 4, 4, Unused, 0, 8, 2, Unused, 0, 4, 1, Unused, 0, false);

        Assert.Null(CublasCall.For(gemm));
    }

    /// <summary>cublasSgemm: C = op(X)·op(Y) + β·C, all column-major, op(X) rows × depth, op(Y) depth × columns.</summary>
    private static void ColumnMajorSgemm(bool transposeX, bool transposeY, int rows, int columns, int depth, ReadOnlySpan<float> x, int leadingX, ReadOnlySpan<float> y, int leadingY, float beta, Span<float> c, int leadingC)
    {
        Assert.True(leadingX >= (transposeX ? depth : rows), "cuBLAS requires lda ≥ the stored matrix's rows");
        Assert.True(leadingY >= (transposeY ? columns : depth), "cuBLAS requires ldb ≥ the stored matrix's rows");
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var sum = beta * c[i + (j * leadingC)];
                for (var l = 0; l < depth; l++)
                {
                    var xv = transposeX ? x[l + (i * leadingX)] : x[i + (l * leadingX)];
                    var yv = transposeY ? y[j + (l * leadingY)] : y[l + (j * leadingY)];
                    sum += xv * yv;
                }

                c[i + (j * leadingC)] = sum;
            }
        }
    }

    private static float[] Random(int count, SeededRandom random)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = random.NextUniform(-1, 1);
        }

        return values;
    }
}
