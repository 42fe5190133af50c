using System;
using System.Numerics;

namespace NetGen.Losses;

/// <summary>
/// Softmax and cross-entropy as one op on logits, so neither the probabilities' gradient nor the
/// softmax Jacobian is ever formed: <c>loss = mean_b(logsumexp(z_b) − z_b[y_b])</c> and
/// <c>∂loss/∂z = (softmax(z) − onehot(y)) / batch</c>.
/// </summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>
    /// Mean loss against class indices. When <paramref name="gradient"/> is not empty it receives
    /// <c>(p − y) / batch</c>. <paramref name="probabilities"/>, when not empty, receives softmax(z).
    /// </summary>
    public static T Compute<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, Span<T> gradient, Span<T> probabilities, int batch, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LossGuard.CheckLabels(labels, batch, classes);
        var total = 0.0;
        var inverseBatch = T.One / T.CreateTruncating(batch);
        for (var b = 0; b < batch; b++)
        {
            var z = logits.Slice(b * classes, classes);
            var (max, logSum) = LogSumExp(z);
            total += double.CreateTruncating(logSum + max - z[labels[b]]);
            WriteOutputs(z, max, logSum, gradient, probabilities, b, classes, inverseBatch, labels[b], default);
        }

        return T.CreateTruncating(total / batch);
    }

    /// <summary>Mean loss against target distributions (rows of <paramref name="classes"/> probabilities).</summary>
    public static T Compute<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient, Span<T> probabilities, int batch, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LossGuard.CheckTargets(targets.Length, batch * classes);
        var total = 0.0;
        var inverseBatch = T.One / T.CreateTruncating(batch);
        for (var b = 0; b < batch; b++)
        {
            var z = logits.Slice(b * classes, classes);
            var t = targets.Slice(b * classes, classes);
            var (max, logSum) = LogSumExp(z);
            for (var c = 0; c < classes; c++)
            {
                total -= double.CreateTruncating(t[c] * (z[c] - max - logSum));
            }

            WriteOutputs(z, max, logSum, gradient, probabilities, b, classes, inverseBatch, -1, t);
        }

        return T.CreateTruncating(total / batch);
    }

    private static (T Max, T LogSum) LogSumExp<T>(ReadOnlySpan<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = z[0];
        foreach (var v in z)
        {
            max = T.Max(max, v);
        }

        var sum = T.Zero;
        foreach (var v in z)
        {
            sum += T.Exp(v - max);
        }

        return (max, T.Log(sum));
    }

    private static void WriteOutputs<T>(ReadOnlySpan<T> z, T max, T logSum, Span<T> gradient, Span<T> probabilities, int b, int classes, T inverseBatch, int label, ReadOnlySpan<T> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gradient.IsEmpty && probabilities.IsEmpty)
        {
            return;
        }

        for (var c = 0; c < classes; c++)
        {
            var p = T.Exp(z[c] - max - logSum);
            if (!probabilities.IsEmpty)
            {
                probabilities[(b * classes) + c] = p;
            }

            if (!gradient.IsEmpty)
            {
                var y = targets.IsEmpty ? (c == label ? T.One : T.Zero) : targets[c];
                gradient[(b * classes) + c] = (p - y) * inverseBatch;
            }
        }
    }
}
