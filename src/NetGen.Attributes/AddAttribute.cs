namespace NetGen;

/// <summary>
/// The elementwise sum of two tensors of one shape, then an activation: <c>y = activation(a + b)</c>,
/// a residual connection's join (<c>torch.relu(out + identity)</c> in PyTorch's ResNet).
/// </summary>
/// <example>
/// <code>
/// [Add(nameof(Block1Norm2), nameof(StemNorm), Activation.ReLU)] public partial Add Block1 { get; }
/// </code>
/// </example>
public sealed class AddAttribute : LayerAttribute
{
    /// <summary>Declares the sum of the layers named <paramref name="first"/> and <paramref name="second"/> (or <see cref="LayerAttribute.NetworkInput"/>).</summary>
    public AddAttribute(string first, string second, Activation activation = Activation.None)
    {
        First = first;
        Second = second;
        Activation = activation;
    }

    /// <summary>The first summand, as <c>nameof(Layer)</c>.</summary>
    public string First { get; }

    /// <summary>The second summand, as <c>nameof(Layer)</c>.</summary>
    public string Second { get; }

    /// <summary>The activation applied to the sum (elementwise only).</summary>
    public Activation Activation { get; }
}
