using System;
using System.Collections.Generic;
using NetGen.Kernels;
using Xunit;

namespace NetGen.Runtime.Tests.Kernels;

public class RecurrentProductTests
{
    /// <summary>
    /// Shapes (m, n, k) of backward's step product <c>dz·W_hh</c>: batch 1 to 3 (the one-row kernel, with
    /// 128-column blocks, a 16-column remainder and a masked one), 4 and 65 (W_hh packed once per pass: the
    /// 4 × 64 tiles, rows and columns left over), and the row-MNIST LSTM's 128 from 512 (four depth blocks).
    /// </summary>
    public static IEnumerable<object[]> Shapes() =>
    [
        [1, 512, 128], [1, 128, 512], [2, 150, 7], [3, 9, 33], [4, 512, 128], [65, 130, 17], [64, 128, 512],
    ];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_product_matches_double_reference(int m, int n, int k)
    {
        var a = GemmReference.Random(m * k, 1);
        var b = GemmReference.Random(k * n, 2);
        var initial = GemmReference.Random(m * n, 3);
        var c = (float[])initial.Clone();
        var prepared = RecurrentProduct.BackwardWeights<float>(b, k, n, m);
        RecurrentProduct.MultiplyBackward<float>(m, n, k, a, b, prepared, c);
        var (expected, scale) = GemmReference.Multiply(false, false, m, n, k, a, b, initial, true, GemmReference.Epilogue.None);
        GemmReference.AssertClose(expected, scale, c, $"{m}x{n}x{k}");
    }

    /// <summary>
    /// Batch, gates and hidden of a forward step (W_hh in 16-row blocks below batch 4, else in 64-column panels of
    /// W_hhᵀ): 300 × 37 is no multiple of the 16 × 16 transposition blocks nor
    /// of the 16 rows the matrix-vector kernel sums at once (12 rows and 5 lanes left over); the row-MNIST LSTM's
    /// 512 × 128 at batch 1 and 2 leaves none; 9 gates are fewer than one block of rows.
    /// </summary>
    public static IEnumerable<object[]> StepShapes() =>
    [
        [1, 300, 37], [4, 300, 37], [64, 300, 37], [1, 512, 128], [2, 512, 128], [3, 9, 33],
    ];

    [Theory]
    [MemberData(nameof(StepShapes))]
    public void Forward_product_against_the_prepared_weights_matches_the_weights_as_they_lie(int batch, int gates, int hidden)
    {
        var h = GemmReference.Random(batch * hidden, 4);
        var weights = GemmReference.Random(gates * hidden, 5);
        var c = new float[batch * gates];
        var prepared = RecurrentProduct.ForwardWeights<float>(weights, gates, hidden, batch);
        var expectedLength = !System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? (batch >= RecurrentProduct.MinTransposedBatch ? gates * hidden : 0)
            : batch >= RecurrentProduct.MinTransposedBatch ? RecurrentPanelProduct.PackedLength(hidden, gates) : RecurrentMatrixVector.PackedLength(gates, hidden);
        Assert.Equal(expectedLength, prepared.Length);
        RecurrentProduct.MultiplyForward<float>(batch, gates, hidden, h, weights, prepared, c);
        var (expected, scale) = GemmReference.Multiply(false, true, batch, gates, hidden, h, weights, new float[c.Length], false, GemmReference.Epilogue.None);
        GemmReference.AssertClose(expected, scale, c, $"batch {batch}");
    }

    /// <summary>
    /// Gates, hidden and batch of backward's per-step <c>dW_hh</c>: the row-MNIST LSTM at batch 64 and 1 (the
    /// broadcast kernel), a batch whose <c>h_{t−1}</c> no longer fits (the general product), and widths the
    /// 64-column tiles do not divide.
    /// </summary>
    public static IEnumerable<object[]> GradientShapes() =>
    [
        [512, 128, 64], [512, 128, 1], [40, 128, 200], [300, 37, 5],
    ];

    [Theory]
    [MemberData(nameof(GradientShapes))]
    public void Step_weight_gradient_matches_double_reference(int gates, int hidden, int batch)
    {
        var dz = GemmReference.Random(batch * gates, 6);
        var h = GemmReference.Random(batch * hidden, 7);
        var initial = GemmReference.Random(gates * hidden, 8);
        foreach (var accumulate in new[] { false, true })
        {
            var gradient = (float[])initial.Clone();
            RecurrentProduct.AccumulateWeightGradient<float>(gates, hidden, batch, dz, h, gradient, accumulate);
            var (expected, scale) = GemmReference.Multiply(true, false, gates, hidden, batch, dz, h, initial, accumulate, GemmReference.Epilogue.None);
            GemmReference.AssertClose(expected, scale, gradient, $"{gates}x{hidden} over {batch} acc={accumulate}");
        }
    }

    [Theory]
    [InlineData(512, 28, 1792)] // the row-MNIST LSTM at batch 64: 28 steps of 28 pixels into 4 · 128 gates
    [InlineData(1024, 28, 100)] // bidirectional: both directions' gates side by side
    [InlineData(30, 7, 5)]
    public void Input_weight_gradient_matches_double_reference(int rows, int inputs, int count)
    {
        var dz = GemmReference.Random(count * rows, 9);
        var x = GemmReference.Random(count * inputs, 10);
        var gradient = GemmReference.Random(rows * inputs, 11); // overwritten, not accumulated
        RecurrentProduct.InputWeightGradient<float>(rows, inputs, count, dz, x, gradient);
        var (expected, scale) = GemmReference.Multiply(true, false, rows, inputs, count, dz, x, new float[gradient.Length], false, GemmReference.Epilogue.None);
        GemmReference.AssertClose(expected, scale, gradient, $"{rows}x{inputs} over {count}");
    }

    [Fact]
    public void Transpose_moves_every_element_for_float_and_double()
    {
        const int rows = 19, columns = 33;
        var source = new double[rows * columns];
        for (var i = 0; i < source.Length; i++)
        {
            source[i] = i;
        }

        var destination = new double[source.Length];
        var floatDestination = new float[source.Length];
        RecurrentProduct.Transpose<double>(source, destination, rows, columns);
        RecurrentProduct.Transpose<float>(Array.ConvertAll(source, v => (float)v), floatDestination, rows, columns);
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                Assert.Equal(source[(i * columns) + j], destination[(j * rows) + i]);
                Assert.Equal(source[(i * columns) + j], floatDestination[(j * rows) + i]);
            }
        }
    }

    [Fact]
    public void Transpose_refuses_buffers_too_small()
    {
        var error = Assert.Throws<ArgumentException>(() => RecurrentProduct.Transpose<float>(new float[6], new float[5], 2, 3));
        Assert.Contains("2x3", error.Message, StringComparison.Ordinal);
    }
}
