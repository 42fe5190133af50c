using NetGen.Metrics;
using Xunit;

namespace NetGen.Runtime.Tests.Metrics;

public sealed class ClassificationReportTests
{
    [Fact]
    public void Matches_sklearn_documentation_example()
    {
        // sklearn's classification_report docstring: y_true = [0, 1, 2, 2, 2], y_pred = [0, 0, 2, 2, 1].
        // class 0: TP 1 of 2 predicted, 1 actual → P .50, R 1.00, F1 2/3 = .67.
        // class 1: TP 0 → .00 everywhere, support 1.
        // class 2: TP 2 of 2 predicted, 3 actual → P 1.00, R .67, F1 4/5 = .80.
        // accuracy 3/5; macro (.5, .556, .489); weighted by 1, 1, 3: (.70, .60, .613).
        var matrix = new ConfusionMatrix(3);
        int[] actual = [0, 1, 2, 2, 2];
        int[] predicted = [0, 0, 2, 2, 1];
        for (var i = 0; i < actual.Length; i++)
        {
            matrix.Add(actual[i], predicted[i]);
        }

        const string expected =
            "              precision    recall  f1-score   support\n" +
            "\n" +
            "     class 0       0.50      1.00      0.67         1\n" +
            "     class 1       0.00      0.00      0.00         1\n" +
            "     class 2       1.00      0.67      0.80         3\n" +
            "\n" +
            "    accuracy                           0.60         5\n" +
            "   macro avg       0.50      0.56      0.49         5\n" +
            "weighted avg       0.70      0.60      0.61         5\n";
        Assert.Equal(expected, ClassificationReport.Render(matrix, ["class 0", "class 1", "class 2"]));
    }

    [Fact]
    public void Rounds_exact_halves_to_even_like_python()
    {
        // Class 1 predicted 8 times, right once: precision exactly 0.125, which Python prints as "0.12";
        // recall 1/1; F1 2/(2 + 7 + 0) = 0.2222.
        var matrix = new ConfusionMatrix(2);
        matrix.Add(1, 1);
        for (var i = 0; i < 7; i++)
        {
            matrix.Add(0, 1);
        }

        Assert.Contains("\n           1       0.12      1.00      0.22         1\n", ClassificationReport.Render(matrix));
    }
}
