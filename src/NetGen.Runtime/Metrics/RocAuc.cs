using System;

namespace NetGen.Metrics;

/// <summary>Area under the ROC curve for binary scores, as sklearn.metrics.roc_auc_score.</summary>
public static class RocAuc
{
    /// <summary>
    /// The trapezoidal area under the ROC curve through one point per distinct score (tied scores
    /// move true and false positive rates together, a diagonal step worth half). Higher scores mean
    /// "more positive"; <paramref name="labels"/> are 0 or 1 and both must occur.
    /// </summary>
    public static double Compute(ReadOnlySpan<float> scores, ReadOnlySpan<int> labels)
    {
        Accuracy.CheckBinary(scores, labels);
        var order = new int[scores.Length];
        var keys = new float[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            keys[i] = -scores[i];
        }

        Array.Sort(keys, order);

        var positives = 0;
        foreach (var label in labels)
        {
            positives += label;
        }

        var negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException($"ROC AUC needs both classes but every label is {(positives == 0 ? 0 : 1)}.", nameof(labels));
        }

        // Walk thresholds from the highest score down; each group of equal scores is one ROC point.
        double area = 0;
        long truePositives = 0, falsePositives = 0;
        var i0 = 0;
        while (i0 < order.Length)
        {
            var previousTp = truePositives;
            var previousFp = falsePositives;
            var i1 = i0;
            while (i1 < order.Length && keys[i1] == keys[i0])
            {
                truePositives += labels[order[i1]];
                falsePositives += 1 - labels[order[i1]];
                i1++;
            }

            area += (falsePositives - previousFp) * (truePositives + previousTp) / 2.0;
            i0 = i1;
        }

        return area / ((double)positives * negatives);
    }
}
