using System;
using NetGen.Metrics;
using Xunit;

namespace NetGen.Runtime.Tests.Metrics;

public sealed class ConfusionMatrixTests
{
    // actual    = [0, 0, 1, 1, 2, 2, 2]
    // predicted = [0, 1, 1, 1, 0, 0, 1]; class 2 ("bird") is never predicted.
    //             predicted: 0  1  2
    // actual 0:              1  1  0
    // actual 1:              0  2  0
    // actual 2:              2  1  0
    private static ConfusionMatrix Pets()
    {
        var matrix = new ConfusionMatrix(3);
        int[] actual = [0, 0, 1, 1, 2, 2, 2];
        int[] predicted = [0, 1, 1, 1, 0, 0, 1];
        for (var i = 0; i < actual.Length; i++)
        {
            matrix.Add(actual[i], predicted[i]);
        }

        return matrix;
    }

    [Fact]
    public void Per_class_scores_follow_sklearn_with_zero_when_undefined()
    {
        var matrix = Pets();

        // Class 0: TP 1, predicted 3, actual 2 → P 1/3, R 1/2, F1 2·1/(2·1 + 2 + 1) = 0.4.
        Assert.Equal(new ClassScores(1.0 / 3, 0.5, 0.4, 2), matrix.Scores(0));

        // Class 1: TP 2, predicted 4, actual 2 → P 1/2, R 1, F1 4/(4 + 2 + 0) = 2/3.
        Assert.Equal(new ClassScores(0.5, 1, 4.0 / 6, 2), matrix.Scores(1));

        // Class 2: never predicted → precision 0/0 := 0; TP 0 of 3 → R 0, F1 0.
        Assert.Equal(new ClassScores(0, 0, 0, 3), matrix.Scores(2));
        Assert.Equal(3.0 / 7, matrix.Accuracy);
    }

    [Fact]
    public void Averages_follow_sklearn()
    {
        var matrix = Pets();

        // Macro: P (1/3 + 1/2 + 0)/3 = 5/18, R (1/2 + 1 + 0)/3 = 1/2, F1 (0.4 + 2/3 + 0)/3 = 16/45.
        var macro = matrix.MacroAverage();
        Assert.Equal(5.0 / 18, macro.Precision, 12);
        Assert.Equal(0.5, macro.Recall, 12);
        Assert.Equal(16.0 / 45, macro.F1, 12);
        Assert.Equal(7, macro.Support);

        // Weighted by support 2, 2, 3: P (2/3 + 1 + 0)/7 = 5/21, R (1 + 2 + 0)/7 = 3/7, F1 (0.8 + 4/3)/7 = 32/105.
        var weighted = matrix.WeightedAverage();
        Assert.Equal(5.0 / 21, weighted.Precision, 12);
        Assert.Equal(3.0 / 7, weighted.Recall, 12);
        Assert.Equal(32.0 / 105, weighted.F1, 12);
    }

    [Fact]
    public void Renders_with_class_names_aligned()
    {
        const string expected =
            "actual \\ predicted  cat  dog  bird\n" +
            "cat                   1    1     0\n" +
            "dog                   0    2     0\n" +
            "bird                  2    1     0\n";
        Assert.Equal(expected, Pets().Render(["cat", "dog", "bird"]));
    }

    [Fact]
    public void Outputs_are_counted_by_argmax_and_binary_outputs_by_threshold()
    {
        // Rows argmax to 1, 0, 2 against labels 1, 2, 2.
        var multi = new ConfusionMatrix(3);
        multi.AddOutputs([0.1f, 0.7f, 0.2f, 0.5f, 0.3f, 0.2f, 0f, 0f, 1f], [1, 2, 2]);
        Assert.Equal(1, multi[1, 1]);
        Assert.Equal(1, multi[2, 0]);
        Assert.Equal(1, multi[2, 2]);
        Assert.Equal(3, multi.Total);

        // 0.7 → 1 (label 1), 0.5 → 0 (label 1), 0.2 → 0 (label 0).
        var binary = new ConfusionMatrix(2);
        binary.AddBinary([0.7f, 0.5f, 0.2f], [1, 1, 0]);
        Assert.Equal(1, binary[1, 1]);
        Assert.Equal(1, binary[1, 0]);
        Assert.Equal(1, binary[0, 0]);
    }

    [Fact]
    public void Bad_input_is_rejected_by_name()
    {
        var matrix = new ConfusionMatrix(3);
        Assert.Equal("predicted", Assert.Throws<ArgumentOutOfRangeException>(() => matrix.Add(0, 3)).ParamName);
        Assert.Equal("classNames", Assert.Throws<ArgumentException>(() => matrix.Render(["a", "b"])).ParamName);
        Assert.Throws<InvalidOperationException>(() => matrix.AddBinary([0.5f], [1]));
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => matrix.AddOutputs(new float[4], [0, 1])).ParamName);
    }
}
