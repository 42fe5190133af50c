using System;

namespace NetGen;

/// <summary>
/// Marks a layer as one of the network's outputs, trained with its own loss and weight (Keras'
/// <c>loss={...}, loss_weights={...}</c>): the training loss is <c>Σ weight · loss</c> over the outputs,
/// and backward seeds each output with its weight times its loss's gradient. An output may also feed
/// further layers; its gradient is then the sum of theirs and its loss's.
/// </summary>
/// <remarks>
/// Without any <c>[Output]</c> the last declared layer is the one output, trained with
/// <see cref="NetworkAttribute.Loss"/>. With them, <see cref="NetworkAttribute.Loss"/> is not set and every
/// output is named here:
/// <code>
/// [Dense(10), Output(Loss.SoftmaxCrossEntropy)] public partial Dense Digit { get; }
/// [Dense(1, Input = nameof(Hidden)), Output(Loss.BinaryCrossEntropy, Weight = 0.5)] public partial Dense Parity { get; }
/// </code>
/// The generated class takes one span per output (class labels for the cross-entropy losses, float targets
/// otherwise) in its typed <c>TrainStep</c> and <c>Evaluate</c>, which return the total and each output's loss.
/// </remarks>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class OutputAttribute : Attribute
{
    /// <summary>Declares the layer an output trained with <paramref name="loss"/>.</summary>
    public OutputAttribute(Loss loss) => Loss = loss;

    /// <summary>The loss of this output.</summary>
    public Loss Loss { get; }

    /// <summary>The weight of this output's loss in the total, finite and positive; 1 by default.</summary>
    public double Weight { get; set; } = 1;
}
