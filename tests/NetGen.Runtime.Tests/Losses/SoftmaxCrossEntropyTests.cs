using System;
using NetGen.Losses;
using Xunit;
using static NetGen.Runtime.Tests.Kernels.TestVectors;

namespace NetGen.Runtime.Tests.Losses;

/// <summary>
/// Softmax cross-entropy takes every exponential of a batch in one vectorised pass; a sample's
/// numbers must still not depend on the batch around it (a data-parallel shard, an evaluation one
/// sample at a time).
/// </summary>
public sealed class SoftmaxCrossEntropyTests
{
    [Theory]
    [InlineData(10)] // the MLP's and MNIST CNN's classes: a batch of one is shorter than a vector
    [InlineData(2)]
    [InlineData(17)] // rows that straddle vectors
    public void A_sample_has_the_same_probabilities_and_loss_alone_as_in_a_batch_bitwise(int classes)
    {
        const int batch = 33, sample = 17;
        var logits = Random(batch * classes, 81);
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] *= 8;
        }

        var labels = new int[batch];
        for (var b = 0; b < batch; b++)
        {
            labels[b] = (b * 7) % classes;
        }

        var probabilities = new float[batch * classes];
        SoftmaxCrossEntropy.Compute<float>(logits, labels, default, probabilities, batch, classes);
        var alone = new float[classes];
        var own = logits.AsSpan(sample * classes, classes);
        var loss = SoftmaxCrossEntropy.Compute<float>(own, labels.AsSpan(sample, 1), default, alone, 1, classes);
        var twice = new float[2 * classes];
        float[] pair = [.. own.ToArray(), .. own.ToArray()];
        var pairLoss = SoftmaxCrossEntropy.Compute<float>(pair, [labels[sample], labels[sample]], default, twice, 2, classes);

        Assert.Equal(probabilities.AsSpan(sample * classes, classes).ToArray(), alone);
        Assert.Equal(loss, pairLoss);
    }

    [Fact]
    public void Float_probabilities_and_gradient_agree_with_the_double_computation()
    {
        const int batch = 20, classes = 10;
        var logits = Random(batch * classes, 82);
        var labels = new int[batch];
        for (var b = 0; b < batch; b++)
        {
            labels[b] = (b * 3) % classes;
        }

        var (gradient, probabilities) = (new float[batch * classes], new float[batch * classes]);
        var (gradient64, probabilities64) = (new double[batch * classes], new double[batch * classes]);
        var loss = SoftmaxCrossEntropy.Compute<float>(logits, labels, gradient, probabilities, batch, classes, 0.1f);
        var loss64 = SoftmaxCrossEntropy.Compute<double>(Array.ConvertAll(logits, v => (double)v), labels, gradient64, probabilities64, batch, classes, 0.1);

        Assert.Equal(loss64, loss, 1e-6);
        for (var i = 0; i < gradient.Length; i++)
        {
            Assert.Equal(gradient64[i], gradient[i], 1e-7);
            Assert.Equal(probabilities64[i], probabilities[i], 1e-6);
        }
    }
}
