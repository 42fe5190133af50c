using System;

namespace NetGen;

/// <summary>
/// A network whose layers before the head are a frozen prefix (<c>[Frozen]</c> layers and the layers without
/// parameters around them) and whose head reads only the prefix's last output: the generator adds this to
/// such a network (one input, trained on class labels), so the prefix can run once per sample and the head
/// train on its features (<c>TrainerOptions.CacheFrozenFeatures</c>, Chollet's fast feature extraction).
/// The prefix runs in inference mode in every training step, so its features never change.
/// </summary>
public interface IFrozenFeatureNetwork : INetwork
{
    /// <summary>Floats per sample of the prefix's last output, the features the head reads.</summary>
    int FrozenFeatureSize { get; }

    /// <summary>Runs the frozen prefix alone (inference mode) on a batch of <paramref name="inputs"/> and writes its features, <see cref="FrozenFeatureSize"/> per sample, into <paramref name="features"/>.</summary>
    void ForwardFrozenPrefix(ReadOnlySpan<float> inputs, Span<float> features);

    /// <summary>
    /// A training step of the head alone on a batch of prefix <paramref name="features"/>: the same forward,
    /// loss, backward and gradients as <see cref="INetwork.TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int})"/>
    /// on the inputs those features came from.
    /// </summary>
    float TrainStepFromFeatures(ReadOnlySpan<float> features, ReadOnlySpan<int> labels);

    /// <summary>Evaluates the head on a batch of prefix <paramref name="features"/>, as <see cref="INetwork.Evaluate(ReadOnlySpan{float}, ReadOnlySpan{int}, Span{float})"/> on their inputs.</summary>
    float EvaluateFromFeatures(ReadOnlySpan<float> features, ReadOnlySpan<int> labels, Span<float> outputs);
}
