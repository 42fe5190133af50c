using System;
using NetGen.Metrics;
using Xunit;

namespace NetGen.Runtime.Tests.Metrics;

public sealed class RocAucTests
{
    [Fact]
    public void Tied_scores_count_half_like_sklearn()
    {
        // Positives score 0.9, 0.8, 0.4; negatives 0.8, 0.4, 0.1 (two ties across classes).
        // ROC points per distinct threshold (TP, FP): 0.9 → (1, 0), 0.8 → (2, 1), 0.4 → (3, 2), 0.1 → (3, 3).
        // Trapezoids in count units from (0, 0): 0 + 1·(1+2)/2 + 1·(2+3)/2 + 1·(3+3)/2 = 7, over P·N = 9.
        // Cross-check by pairs: 0.9 beats 3; 0.8 beats 2 and ties 1 (2.5); 0.4 beats 1 and ties 1 (1.5) → 7/9.
        Assert.Equal(7.0 / 9, RocAuc.Compute([0.9f, 0.8f, 0.8f, 0.4f, 0.4f, 0.1f], [1, 1, 0, 1, 0, 0]), 12);
    }

    [Theory]
    [InlineData(new[] { 0.1f, 0.2f, 0.8f, 0.9f }, 1.0)] // every positive above every negative
    [InlineData(new[] { 0.9f, 0.8f, 0.2f, 0.1f }, 0.0)] // every positive below every negative
    [InlineData(new[] { 0.5f, 0.5f, 0.5f, 0.5f }, 0.5)] // one threshold: the diagonal
    public void Extremes(float[] scores, double expected)
    {
        Assert.Equal(expected, RocAuc.Compute(scores, [0, 0, 1, 1]), 12);
    }

    [Fact]
    public void A_single_class_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => RocAuc.Compute([0.1f, 0.7f], [1, 1]));
        Assert.Equal("labels", error.ParamName);
        Assert.Contains("both classes", error.Message);
    }
}
