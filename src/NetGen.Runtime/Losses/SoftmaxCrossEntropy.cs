using System;
using System.Numerics;

namespace NetGen.Losses;

/// <summary>
/// Softmax and cross-entropy as one op on logits, so neither the probabilities' gradient nor the
/// softmax Jacobian is ever formed: <c>loss = mean_b(logsumexp(z_b) − z_b[y_b])</c> and
/// <c>∂loss/∂z = (softmax(z) − onehot(y)) / batch</c>.
/// </summary>
/// <remarks>
/// Label smoothing ε (PyTorch's <c>CrossEntropyLoss(label_smoothing=ε)</c>, Keras'
/// <c>label_smoothing</c>) replaces each target row <c>y</c> by <c>(1 − ε)·y + ε / classes</c>, for
/// class indices and target distributions alike; the loss and the gradient <c>(p − y′) / batch</c>
/// are taken against that row.
/// </remarks>
public static class SoftmaxCrossEntropy
{
    /// <summary>
    /// Mean loss against class indices. When <paramref name="gradient"/> is not empty it receives
    /// <c>(p − y) / batch</c>. <paramref name="probabilities"/>, when not empty, receives softmax(z).
    /// <paramref name="labelSmoothing"/> is ε in [0, 1]; 0, the default, is plain cross-entropy.
    /// </summary>
    public static T Compute<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, Span<T> gradient, Span<T> probabilities, int batch, int classes, T labelSmoothing = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LossGuard.CheckLabels(labels, batch, classes);
        var smoothing = LabelSmoothing.Of(labelSmoothing, classes);
        var total = 0.0;
        var inverseBatch = T.One / T.CreateTruncating(batch);
        for (var b = 0; b < batch; b++)
        {
            var z = logits.Slice(b * classes, classes);
            var (max, logSum) = LogSumExp(z);
            var term = logSum + max - z[labels[b]];
            if (smoothing.Active)
            {
                // −Σ_c y′_c·log p_c with y′ = (1 − ε)·onehot + ε/classes.
                var uniform = T.Zero;
                foreach (var v in z)
                {
                    uniform += logSum + max - v;
                }

                term = (smoothing.Keep * term) + (smoothing.Share * uniform);
            }

            total += double.CreateTruncating(term);
            WriteOutputs(z, max, logSum, gradient, probabilities, b, classes, inverseBatch, labels[b], default, smoothing);
        }

        return T.CreateTruncating(total / batch);
    }

    /// <summary>Mean loss against target distributions (rows of <paramref name="classes"/> probabilities), smoothed by <paramref name="labelSmoothing"/>.</summary>
    public static T Compute<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient, Span<T> probabilities, int batch, int classes, T labelSmoothing = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LossGuard.CheckTargets(targets.Length, batch * classes);
        var smoothing = LabelSmoothing.Of(labelSmoothing, classes);
        var total = 0.0;
        var inverseBatch = T.One / T.CreateTruncating(batch);
        for (var b = 0; b < batch; b++)
        {
            var z = logits.Slice(b * classes, classes);
            var t = targets.Slice(b * classes, classes);
            var (max, logSum) = LogSumExp(z);
            for (var c = 0; c < classes; c++)
            {
                total -= double.CreateTruncating(smoothing.Apply(t[c]) * (z[c] - max - logSum));
            }

            WriteOutputs(z, max, logSum, gradient, probabilities, b, classes, inverseBatch, -1, t, smoothing);
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

    private static void WriteOutputs<T>(ReadOnlySpan<T> z, T max, T logSum, Span<T> gradient, Span<T> probabilities, int b, int classes, T inverseBatch, int label, ReadOnlySpan<T> targets, LabelSmoothing<T> smoothing)
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
                gradient[(b * classes) + c] = (p - smoothing.Apply(y)) * inverseBatch;
            }
        }
    }
}
