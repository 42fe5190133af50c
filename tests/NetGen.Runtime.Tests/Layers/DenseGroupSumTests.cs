using System;
using Xunit;
using static NetGen.Runtime.Tests.Kernels.TestVectors;

namespace NetGen.Runtime.Tests.Layers;

/// <summary>
/// Dense sums its parameter gradients over fixed sample groups, so a batch's gradient is bitwise the
/// sum of its two halves': what a 2-process data-parallel run's all-reduce adds.
/// </summary>
public sealed class DenseGroupSumTests
{
    [Fact]
    public void Dense_gradient_of_a_batch_is_bitwise_the_sum_of_its_two_halves()
    {
        // The MNIST CNN's hidden layer at batch 64 against two shards of 32.
        const int batch = 64, inputs = 800, units = 128;
        var x = Random(batch * inputs, 31);
        var dz = Random(batch * units, 32);
        var (wholeWeight, wholeBias) = Gradients(x, dz, 0, batch, inputs, units);
        var (firstWeight, firstBias) = Gradients(x, dz, 0, batch / 2, inputs, units);
        var (secondWeight, secondBias) = Gradients(x, dz, batch / 2, batch / 2, inputs, units);

        Assert.Equal(wholeWeight, Sum(firstWeight, secondWeight));
        Assert.Equal(wholeBias, Sum(firstBias, secondBias));
    }

    private static (float[] Weight, float[] Bias) Gradients(float[] x, float[] dz, int first, int samples, int inputs, int units)
    {
        var weight = new float[units * inputs];
        var weightGradient = new float[weight.Length];
        var biasGradient = new float[units];
        Dense.Backward<float>(dz.AsSpan(first * units, samples * units), x.AsSpan(first * inputs, samples * inputs), weight, weightGradient, biasGradient, default, samples, inputs, units, Activation.None, default);
        return (weightGradient, biasGradient);
    }
}
