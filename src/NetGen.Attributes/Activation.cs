namespace NetGen;

/// <summary>An elementwise (or, for <see cref="Softmax"/>, per-row) activation applied after a layer.</summary>
public enum Activation
{
    /// <summary>No activation: the layer's output is its affine result.</summary>
    None,

    /// <summary><c>max(0, x)</c>.</summary>
    ReLU,

    /// <summary><c>x</c> for positive <c>x</c>, else <c>0.01 x</c> (PyTorch's default slope).</summary>
    LeakyReLU,

    /// <summary><c>1 / (1 + e^-x)</c>.</summary>
    Sigmoid,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,

    /// <summary>Gaussian error linear unit, exact form <c>x Φ(x)</c> (PyTorch's default).</summary>
    GELU,

    /// <summary>Softmax over the features of each sample.</summary>
    Softmax,

    /// <summary><c>min(max(0, x), 6)</c> (MobileNet's rectifier; PyTorch's <c>ReLU6</c>).</summary>
    ReLU6,
}
