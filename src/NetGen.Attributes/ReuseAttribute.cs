namespace NetGen;

/// <summary>
/// Applies another layer's parameters to a second input: the layer is called twice with one set of
/// weights, as calling the same module twice in PyTorch or the same layer object on two tensors in
/// Keras (Siamese networks, tied encoders). The property's type is the owner's (a reuse of a
/// <c>[Dense]</c> is a <c>NetGen.Dense</c>); the owner keeps the only copy of the weights, so the
/// state_dict holds them once, under the owner's name, and training sums the gradients of every use.
/// </summary>
/// <remarks>
/// Each use keeps its own activations; BatchNorm's running statistics are updated by each use in
/// turn, as in PyTorch. <see cref="FrozenAttribute"/> goes on the owner and freezes every use. The new
/// input must give the parameters the owner's shapes: a Dense fed 128 features cannot be reused on
/// 32, while a Conv2D can be reused on another image size.
/// </remarks>
/// <example>
/// <code>
/// [Dense(64, Activation.ReLU)] public partial Dense Block { get; }
/// [Reuse(nameof(Block))] public partial Dense BlockAgain { get; }   // Block's weights, applied to Block's output
/// [Conv2D(8, 3, Input = nameof(Pool))] public partial Conv2D Coarse { get; }
/// [Reuse(nameof(Coarse), Input = LayerAttribute.NetworkInput)] public partial Conv2D Fine { get; }
/// </code>
/// </example>
public sealed class ReuseAttribute : LayerAttribute
{
    /// <summary>Declares a use of the parameters of the layer named <paramref name="layer"/> (<c>nameof(Layer)</c>).</summary>
    public ReuseAttribute(string layer) => Layer = layer;

    /// <summary>The layer whose parameters this one applies, as <c>nameof(Layer)</c>.</summary>
    public string Layer { get; }
}
