using System;

namespace NetGen;

/// <summary>
/// Marks a <c>partial</c> class as a network. NetGen's source generator reads the class's
/// <see cref="InputAttribute"/> and its layer properties (in declaration order), checks every
/// shape at build time and writes the forward pass, the training step and the parameter layout.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>The loss minimised by the generated training step.</summary>
    public Loss Loss { get; set; } = Loss.SoftmaxCrossEntropy;

    /// <summary>Seed of the parameter initialisation (and of dropout masks), so runs are reproducible.</summary>
    public int Seed { get; set; }

    /// <summary>
    /// Label smoothing ε in [0, 1] for <see cref="Loss.SoftmaxCrossEntropy"/> (PyTorch's
    /// <c>CrossEntropyLoss(label_smoothing=ε)</c>): each target becomes <c>(1 − ε)·y + ε / classes</c>,
    /// in training and in evaluation. 0, the default, is plain cross-entropy; other losses take no smoothing.
    /// </summary>
    public double LabelSmoothing { get; set; }
}
