using System;
using NetGen.Kernels;
using Xunit;
using static NetGen.Runtime.Tests.Kernels.TestVectors;

namespace NetGen.Runtime.Tests.Kernels;

/// <summary>
/// Dense's grouped weight and bias gradients, computed tile by tile with the pairwise tree kept as a
/// binary counter, against the plain definition: each group's partial summed (by fused multiply-adds for
/// the weight) from zero, the partials in their own arrays added by <see cref="SampleGroups.SumPairwise{T}"/>.
/// </summary>
public sealed class GroupedWeightGradientTests
{
    [Theory]
    [InlineData(64, 800, 128)] // the MNIST CNN's fc1: wide tiles (batch 64), a 32-column tail in 8 × 16 tiles, 8 groups
    [InlineData(256, 784, 128)] // the MLP's fc1 at batch 256: tall tiles, 24 of 32 columns and a 16-column tail, 32 groups
    [InlineData(72, 150, 9)] // tall tiles, 9 groups: a 16-column and a 6-column tail, a row past the 8-row tile
    [InlineData(36, 150, 9)] // wide tiles, 5 groups (4 of 8, 1 of 4), a 16-column and a 6-column tail, a row past the 8-row tile
    [InlineData(8 * 7, 64, 4)] // 7 groups: the counter ends with partials pending on three levels
    [InlineData(8 * 13, 79, 6)] // 13 groups: levels 0, 2 and 3 left over
    [InlineData(3, 17, 5)] // one group shorter than the group size
    public void Float_gradients_equal_the_groups_partials_added_pairwise_bitwise(int batch, int inputs, int units)
    {
        var x = Random(batch * inputs, 51);
        var dz = Random(batch * units, 52);
        var start = Random(units * inputs, 53);
        var biasStart = Random(units, 56);

        foreach (var accumulate in new[] { false, true })
        {
            var computed = (float[])start.Clone();
            var computedBias = (float[])biasStart.Clone();
            GroupedWeightGradient<float>.Compute(dz, x, computed, computedBias, batch, inputs, units, accumulate);
            Assert.Equal(Reference(dz, x, start, batch, inputs, units, accumulate), computed);
            Assert.Equal(BiasReference(dz, biasStart, batch, units, accumulate), computedBias);
        }
    }

    [Fact]
    public void Bias_gradient_alone_equals_the_groups_partials_added_pairwise_bitwise()
    {
        // 13 groups and 37 units: two full vectors and a masked one, levels 0, 2 and 3 pending at the end.
        const int batch = 8 * 13, inputs = 5, units = 37;
        var dz = Random(batch * units, 57);
        var computed = new float[units];

        GroupedWeightGradient<float>.Compute(dz, new float[batch * inputs], default, computed, batch, inputs, units, accumulate: false);

        Assert.Equal(BiasReference(dz, new float[units], batch, units, accumulate: false), computed);
    }

    [Fact]
    public void Double_gradient_equals_the_groups_partials_added_pairwise_bitwise()
    {
        const int batch = 44, inputs = 21, units = 7;
        var x = Array.ConvertAll(Random(batch * inputs, 54), v => (double)v);
        var dz = Array.ConvertAll(Random(batch * units, 55), v => (double)v);
        var computed = new double[units * inputs];
        var computedBias = new double[units];

        GroupedWeightGradient<double>.Compute(dz, x, computed, computedBias, batch, inputs, units, accumulate: false);

        Assert.Equal(Reference(dz, x, new double[units * inputs], batch, inputs, units, accumulate: false), computed);
        Assert.Equal(BiasReference(dz, new double[units], batch, units, accumulate: false), computedBias);
    }

    [Fact]
    public void A_span_shorter_than_its_shape_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => GroupedWeightGradient<float>.Compute(new float[10], new float[8 * 3], new float[5 * 3], new float[5], 8, 3, 5, accumulate: false));

        Assert.Equal("dz", error.ParamName);
    }

    private static T[] Reference<T>(T[] dz, T[] x, T[] start, int batch, int inputs, int units, bool accumulate)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var groups = SampleGroups.Count(batch);
        var stride = units * inputs;
        var partials = new T[groups * stride];
        for (var group = 0; group < groups; group++)
        {
            var (first, samples) = SampleGroups.Samples(group, batch);
            for (var u = 0; u < units; u++)
            {
                for (var i = 0; i < inputs; i++)
                {
                    var sum = T.Zero;
                    for (var s = first; s < first + samples; s++)
                    {
                        sum = T.FusedMultiplyAdd(dz[(s * units) + u], x[(s * inputs) + i], sum);
                    }

                    partials[(group * stride) + (u * inputs) + i] = sum;
                }
            }
        }

        SampleGroups.SumPairwise<T>(partials, groups, stride, 0, stride);
        var result = new T[stride];
        for (var e = 0; e < stride; e++)
        {
            result[e] = accumulate ? start[e] + partials[e] : partials[e];
        }

        return result;
    }

    private static T[] BiasReference<T>(T[] dz, T[] start, int batch, int units, bool accumulate)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var groups = SampleGroups.Count(batch);
        var partials = new T[groups * units];
        for (var group = 0; group < groups; group++)
        {
            var (first, samples) = SampleGroups.Samples(group, batch);
            for (var u = 0; u < units; u++)
            {
                var sum = T.Zero;
                for (var s = first; s < first + samples; s++)
                {
                    sum += dz[(s * units) + u];
                }

                partials[(group * units) + u] = sum;
            }
        }

        SampleGroups.SumPairwise<T>(partials, groups, units, 0, units);
        var result = new T[units];
        for (var u = 0; u < units; u++)
        {
            result[u] = accumulate ? start[u] + partials[u] : partials[u];
        }

        return result;
    }
}
