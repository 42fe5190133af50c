namespace NetGen;

/// <summary>
/// A fully connected layer, <c>y = activation(x Wᵀ + b)</c> with <c>W</c> of shape
/// <c>[units, inputs]</c> like PyTorch's <c>nn.Linear</c>. Its input must be a vector per sample.
/// </summary>
public sealed class DenseAttribute : LayerAttribute
{
    /// <summary>Declares a dense layer with <paramref name="units"/> outputs.</summary>
    public DenseAttribute(int units, Activation activation = Activation.None)
    {
        Units = units;
        Activation = activation;
    }

    /// <summary>The number of output units.</summary>
    public int Units { get; }

    /// <summary>The activation applied after the affine map.</summary>
    public Activation Activation { get; }

    /// <summary>Whether the layer has a bias vector (default true).</summary>
    public bool Bias { get; set; } = true;
}
