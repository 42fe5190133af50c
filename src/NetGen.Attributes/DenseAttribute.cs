namespace NetGen;

/// <summary>
/// A fully connected layer, <c>y = activation(x Wᵀ + b)</c> with <c>W</c> of shape
/// <c>[units, inputs]</c> like PyTorch's <c>nn.Linear</c>. Its input must be a vector per sample, or a
/// sequence with <see cref="PerStep"/>.
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

    /// <summary>
    /// Whether the layer applies to each step of a sequence <c>[steps, features]</c> on its own, giving
    /// <c>[steps, units]</c> with one weight for every step: Keras' <c>TimeDistributed(Dense)</c>, and what
    /// PyTorch's <c>nn.Linear</c> does to a batch-first sequence. Default false: the input must be a vector.
    /// </summary>
    public bool PerStep { get; set; }
}
