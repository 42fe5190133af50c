using System;
using NetGen.Metrics;
using Xunit;

namespace NetGen.Runtime.Tests.Metrics;

public sealed class AccuracyTests
{
    // Three samples, four classes.
    // s0 = [0.1, 0.5, 0.3, 0.1], label 2: only class 1 ranks above → in top-2, not top-1.
    // s1 = [0.2, 0.2, 0.2, 0.4], label 1: class 3 is higher and class 0 ties with a lower index → in top-3 only.
    // s2 = [2, −1, 0.5, 1], label 0: the argmax → in every top-k.
    private static readonly float[] Outputs = [0.1f, 0.5f, 0.3f, 0.1f, 0.2f, 0.2f, 0.2f, 0.4f, 2f, -1f, 0.5f, 1f];
    private static readonly int[] Labels = [2, 1, 0];

    [Fact]
    public void Accuracy_counts_argmax_hits()
    {
        Assert.Equal(1.0 / 3, Accuracy.FromOutputs(Outputs, Labels, 4));
    }

    [Theory]
    [InlineData(1, 1.0 / 3)]
    [InlineData(2, 2.0 / 3)]
    [InlineData(3, 1.0)]
    public void Top_k_accuracy_breaks_ties_by_class_index(int k, double expected)
    {
        Assert.Equal(expected, Accuracy.TopK(Outputs, Labels, 4, k));
    }

    [Fact]
    public void Binary_accuracy_predicts_positive_strictly_above_the_threshold()
    {
        // Predictions 0, 0 (0.5 is not above 0.5), 1, 1 against labels 0, 0, 1, 0 → 3 of 4 right.
        Assert.Equal(0.75, Accuracy.Binary([0.2f, 0.5f, 0.51f, 0.9f], [0, 0, 1, 0]));

        // The same samples as logits, threshold 0: predictions 0, 1, 1, 1 → 2 of 4 right.
        Assert.Equal(0.5, Accuracy.Binary([-1f, 0.1f, 2f, 3f], [0, 0, 1, 0], threshold: 0f));
    }

    [Fact]
    public void Bad_input_is_rejected_by_name()
    {
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => Accuracy.FromOutputs(new float[11], Labels, 4)).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => Accuracy.FromOutputs(Outputs, [2, 4, 0], 4)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => Accuracy.TopK(Outputs, Labels, 4, 5)).ParamName);
        var withNaN = (float[])Outputs.Clone();
        withNaN[5] = float.NaN;
        Assert.Contains("outputs[5] is NaN", Assert.Throws<ArgumentException>(() => Accuracy.FromOutputs(withNaN, Labels, 4)).Message);
        Assert.Equal("labels", Assert.Throws<ArgumentOutOfRangeException>(() => Accuracy.Binary([0.3f], [2])).ParamName);
    }
}
