using System;
using NetGen.Metrics;

namespace NetGen.Training;

/// <summary>
/// Counts correct predictions from a network's outputs. Softmax cross-entropy models predict the
/// argmax, which is the same for logits and probabilities. Binary cross-entropy models have one
/// output that is a probability when the last layer ends in Sigmoid and a logit otherwise, and
/// <see cref="INetwork"/> does not say which; so the first batch decides: outputs outside [0, 1]
/// are logits, and otherwise the batch's mean loss is recomputed under both readings and the one
/// that reproduces the network's own loss wins. Probabilities are thresholded at 0.5, logits at 0.
/// </summary>
internal sealed class AccuracyCounter
{
    private readonly INetwork model;
    private float? binaryThreshold;

    public AccuracyCounter(INetwork model)
    {
        this.model = model;
    }

    /// <summary>Correct predictions among <paramref name="labels"/>, given the batch's outputs and mean loss.</summary>
    public int Correct(ReadOnlySpan<float> outputs, ReadOnlySpan<int> labels, float meanLoss)
    {
        if (model.Loss == Loss.SoftmaxCrossEntropy)
        {
            return (int)Math.Round(Accuracy.FromOutputs(outputs, labels, model.OutputSize) * labels.Length);
        }

        binaryThreshold ??= InferThreshold(outputs, labels, meanLoss);
        return (int)Math.Round(Accuracy.Binary(outputs, labels, binaryThreshold.Value) * labels.Length);
    }

    private static float InferThreshold(ReadOnlySpan<float> outputs, ReadOnlySpan<int> labels, float meanLoss)
    {
        double asProbabilities = 0, asLogits = 0;
        foreach (var output in outputs)
        {
            if (output < 0 || output > 1)
            {
                return 0;
            }
        }

        for (var i = 0; i < labels.Length; i++)
        {
            double p = outputs[i], y = labels[i];
            // BCELoss clamps each log at -100, as PyTorch does; BCEWithLogits is max(z, 0) − z·y + log(1 + e^−|z|).
            asProbabilities -= (y * Math.Max(Math.Log(p), -100)) + ((1 - y) * Math.Max(Math.Log(1 - p), -100));
            asLogits += Math.Max(p, 0) - (p * y) + Math.Log(1 + Math.Exp(-Math.Abs(p)));
        }

        asProbabilities /= labels.Length;
        asLogits /= labels.Length;
        return Math.Abs(asProbabilities - meanLoss) <= Math.Abs(asLogits - meanLoss) ? 0.5f : 0f;
    }
}
