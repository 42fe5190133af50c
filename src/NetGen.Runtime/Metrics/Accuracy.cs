using System;
using NetGen.Losses;

namespace NetGen.Metrics;

/// <summary>Accuracy of a batch of network outputs (logits or probabilities) against class labels.</summary>
public static class Accuracy
{
    /// <summary>
    /// Fraction of samples whose highest output is the label's. <paramref name="outputs"/> holds
    /// <c>labels.Length × classes</c> values; ties go to the lowest class index, as numpy's argmax.
    /// </summary>
    public static double FromOutputs(ReadOnlySpan<float> outputs, ReadOnlySpan<int> labels, int classes) =>
        TopK(outputs, labels, classes, 1);

    /// <summary>
    /// Fraction of samples whose label is among the <paramref name="k"/> highest outputs. A class
    /// ranks above the label's when its output is higher, or equal with a lower index, so
    /// <c>k = 1</c> agrees with <see cref="FromOutputs"/>.
    /// </summary>
    public static double TopK(ReadOnlySpan<float> outputs, ReadOnlySpan<int> labels, int classes, int k)
    {
        var batch = CheckOutputs(outputs, labels, classes);
        if (k < 1 || k > classes)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in [1, {classes}] for {classes} classes.");
        }

        var correct = 0;
        for (var sample = 0; sample < batch; sample++)
        {
            var row = outputs.Slice(sample * classes, classes);
            var label = labels[sample];
            var labelScore = row[label];
            var ranksAbove = 0;
            for (var c = 0; c < classes; c++)
            {
                if (row[c] > labelScore || (row[c] == labelScore && c < label))
                {
                    ranksAbove++;
                }
            }

            if (ranksAbove < k)
            {
                correct++;
            }
        }

        return (double)correct / batch;
    }

    /// <summary>
    /// Accuracy of a one-output model: a sample is predicted positive when its output is above
    /// <paramref name="threshold"/> (0.5 for probabilities, 0 for logits), as Keras and torchmetrics.
    /// </summary>
    public static double Binary(ReadOnlySpan<float> outputs, ReadOnlySpan<int> labels, float threshold = 0.5f)
    {
        CheckBinary(outputs, labels);
        var correct = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            if ((outputs[i] > threshold ? 1 : 0) == labels[i])
            {
                correct++;
            }
        }

        return (double)correct / labels.Length;
    }

    /// <summary>The index of the highest value, the first on ties.</summary>
    public static int ArgMax(ReadOnlySpan<float> row)
    {
        if (row.IsEmpty)
        {
            throw new ArgumentException("Cannot take the argmax of an empty row.", nameof(row));
        }

        var best = 0;
        for (var c = 1; c < row.Length; c++)
        {
            if (row[c] > row[best])
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>Checks the sizes, labels and values of a multi-class batch; returns the batch size.</summary>
    internal static int CheckOutputs(ReadOnlySpan<float> outputs, ReadOnlySpan<int> labels, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (labels.IsEmpty)
        {
            throw new ArgumentException("A metric needs at least one sample.", nameof(labels));
        }

        if (outputs.Length != labels.Length * classes)
        {
            throw new ArgumentException($"Expected {labels.Length} samples × {classes} classes = {labels.Length * classes} outputs, got {outputs.Length}.", nameof(outputs));
        }

        LossGuard.CheckLabels(labels, labels.Length, classes);
        CheckFinite(outputs, nameof(outputs));
        return labels.Length;
    }

    /// <summary>Checks a one-output batch: one finite output and a 0/1 label per sample.</summary>
    internal static void CheckBinary(ReadOnlySpan<float> outputs, ReadOnlySpan<int> labels)
    {
        if (labels.IsEmpty)
        {
            throw new ArgumentException("A metric needs at least one sample.", nameof(labels));
        }

        if (outputs.Length != labels.Length)
        {
            throw new ArgumentException($"Expected one output per sample ({labels.Length}), got {outputs.Length}.", nameof(outputs));
        }

        LossGuard.CheckLabels(labels, labels.Length, 2);
        CheckFinite(outputs, nameof(outputs));
    }

    private static void CheckFinite(ReadOnlySpan<float> values, string name)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i]))
            {
                throw new ArgumentException($"{name}[{i}] is NaN; a metric over it would be meaningless.", name);
            }
        }
    }
}
