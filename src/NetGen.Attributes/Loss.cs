namespace NetGen;

/// <summary>The training loss of a network, declared on <see cref="NetworkAttribute"/>.</summary>
/// <remarks>
/// Each loss is fused with the link function of the last layer, as PyTorch's loss modules are:
/// <see cref="SoftmaxCrossEntropy"/> takes logits (or a last layer with <see cref="Activation.Softmax"/>),
/// <see cref="BinaryCrossEntropy"/> takes logits (or a last layer with <see cref="Activation.Sigmoid"/>).
/// </remarks>
public enum Loss
{
    /// <summary>Softmax followed by cross-entropy against class indices (PyTorch <c>CrossEntropyLoss</c>). The last layer must be a vector of one unit per class.</summary>
    SoftmaxCrossEntropy,

    /// <summary>Sigmoid followed by binary cross-entropy (PyTorch <c>BCEWithLogitsLoss</c>). The last layer must have one unit.</summary>
    BinaryCrossEntropy,

    /// <summary>Mean squared error over all outputs (PyTorch <c>MSELoss</c>).</summary>
    MeanSquaredError,

    /// <summary>Mean absolute error over all outputs (PyTorch <c>L1Loss</c>).</summary>
    MeanAbsoluteError,
}
