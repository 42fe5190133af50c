using System;
using NetGen.Metrics;

namespace NetGen.Training;

/// <summary>
/// Counts correct predictions from a network's outputs. Softmax cross-entropy models predict the
/// argmax, which is the same for logits and probabilities. Binary cross-entropy models have one
/// output, a probability when the network's <see cref="INetwork.OutputActivation"/> is Sigmoid
/// (thresholded at 0.5) and a logit otherwise (thresholded at 0, the same decision).
/// </summary>
internal sealed class AccuracyCounter(INetwork model)
{
    private readonly float binaryThreshold = model.OutputActivation == Activation.Sigmoid ? 0.5f : 0f;

    /// <summary>Correct predictions among <paramref name="labels"/>, given the batch's outputs.</summary>
    public int Correct(ReadOnlySpan<float> outputs, ReadOnlySpan<int> labels) => model.Loss == Loss.SoftmaxCrossEntropy
        ? (int)Math.Round(Accuracy.FromOutputs(outputs, labels, model.OutputSize) * labels.Length)
        : (int)Math.Round(Accuracy.Binary(outputs, labels, binaryThreshold) * labels.Length);
}
