using System;
using System.Numerics;
using System.Numerics.Tensors;
using NetGen.Kernels;

namespace NetGen.Losses;

/// <summary>
/// Softmax and cross-entropy as one op on logits, so neither the probabilities' gradient nor the
/// softmax Jacobian is ever formed: <c>loss = mean_b(logsumexp(z_b) − z_b[y_b])</c> and
/// <c>∂loss/∂z = (softmax(z) − onehot(y)) / batch</c>.
/// </summary>
/// <remarks>
/// <para>
/// Label smoothing ε (PyTorch's <c>CrossEntropyLoss(label_smoothing=ε)</c>, Keras'
/// <c>label_smoothing</c>) replaces each target row <c>y</c> by <c>(1 − ε)·y + ε / classes</c>, for
/// class indices and target distributions alike; the loss and the gradient <c>(p − y′) / batch</c>
/// are taken against that row.
/// </para>
/// <para>
/// Every <c>exp(z − max)</c> of the batch is taken in one vectorised pass (<see cref="Exponentials{T}"/>)
/// and kept, so each logit costs one exponential, not a scalar one for the sum and another for its
/// probability.
/// </para>
/// </remarks>
public static class SoftmaxCrossEntropy
{
    /// <summary>Lanes of the widest vector <see cref="TensorPrimitives"/> uses: 16 floats of AVX-512.</summary>
    private const int VectorLanes = 16;

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
        var exponentials = Exponentials(logits, batch, classes, out var maxima);
        var total = 0.0;
        var inverseBatch = T.One / T.CreateTruncating(batch);
        for (var b = 0; b < batch; b++)
        {
            var z = logits.Slice(b * classes, classes);
            var e = exponentials.Slice(b * classes, classes);
            var (max, sum) = (maxima[b], RowSum(e));
            var logSum = T.Log(sum);
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
            WriteOutputs(e, sum, gradient, probabilities, b, classes, inverseBatch, labels[b], default, smoothing);
        }

        return T.CreateTruncating(total / batch);
    }

    /// <summary>Mean loss against target distributions (rows of <paramref name="classes"/> probabilities), smoothed by <paramref name="labelSmoothing"/>.</summary>
    public static T Compute<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> targets, Span<T> gradient, Span<T> probabilities, int batch, int classes, T labelSmoothing = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LossGuard.CheckTargets(targets.Length, batch * classes);
        var smoothing = LabelSmoothing.Of(labelSmoothing, classes);
        var exponentials = Exponentials(logits, batch, classes, out var maxima);
        var total = 0.0;
        var inverseBatch = T.One / T.CreateTruncating(batch);
        for (var b = 0; b < batch; b++)
        {
            var z = logits.Slice(b * classes, classes);
            var t = targets.Slice(b * classes, classes);
            var e = exponentials.Slice(b * classes, classes);
            var (max, sum) = (maxima[b], RowSum(e));
            var logSum = T.Log(sum);
            for (var c = 0; c < classes; c++)
            {
                total -= double.CreateTruncating(smoothing.Apply(t[c]) * (z[c] - max - logSum));
            }

            WriteOutputs(e, sum, gradient, probabilities, b, classes, inverseBatch, -1, t, smoothing);
        }

        return T.CreateTruncating(total / batch);
    }

    /// <summary>
    /// <c>exp(z − max)</c> of every logit, each row shifted by its own maximum (returned beside), in the
    /// calling thread's scratch. The exponentials run over a length padded to whole 16-lane vectors, so
    /// each logit's exponential takes the same vector path whatever the batch: a sample's loss and
    /// gradient do not depend on the batch it came in (or on a data-parallel shard's size).
    /// </summary>
    private static Span<T> Exponentials<T>(ReadOnlySpan<T> logits, int batch, int classes, out Span<T> maxima)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var count = batch * classes;
        var padded = Math.Max(VectorLanes, (count + VectorLanes - 1) / VectorLanes * VectorLanes);
        var scratch = ThreadScratch<ScratchPurpose.LossExponentials, T>.Rent(padded + batch);
        var shifted = scratch[..padded];
        maxima = scratch.Slice(padded, batch);
        for (var b = 0; b < batch; b++)
        {
            var z = logits.Slice(b * classes, classes);
            var max = z[0];
            foreach (var v in z)
            {
                max = T.Max(max, v);
            }

            maxima[b] = max;
            var row = shifted.Slice(b * classes, classes);
            for (var c = 0; c < classes; c++)
            {
                row[c] = z[c] - max;
            }
        }

        shifted[count..].Clear();
        TensorPrimitives.Exp<T>(shifted, shifted);
        return shifted[..count];
    }

    /// <summary>The row's sum in order, as a scalar loop adds it.</summary>
    private static T RowSum<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sum = T.Zero;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum;
    }

    private static void WriteOutputs<T>(ReadOnlySpan<T> exponentials, T sum, Span<T> gradient, Span<T> probabilities, int b, int classes, T inverseBatch, int label, ReadOnlySpan<T> targets, LabelSmoothing<T> smoothing)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gradient.IsEmpty && probabilities.IsEmpty)
        {
            return;
        }

        for (var c = 0; c < classes; c++)
        {
            var p = exponentials[c] / sum;
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
