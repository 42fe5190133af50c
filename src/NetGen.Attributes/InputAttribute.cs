using System;

namespace NetGen;

/// <summary>
/// The shape of one input sample, without the batch dimension: <c>[Input(784)]</c> for a vector,
/// <c>[Input(1, 28, 28)]</c> for an image as channels, height, width. The batch is the only
/// dimension chosen at run time.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class InputAttribute : Attribute
{
    /// <summary>Declares the per-sample input shape.</summary>
    public InputAttribute(params int[] shape) => Shape = shape;

    /// <summary>The per-sample shape.</summary>
    public int[] Shape { get; }
}
