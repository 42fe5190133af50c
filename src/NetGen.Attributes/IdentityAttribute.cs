namespace NetGen;

/// <summary>
/// Passes its input on unchanged, like PyTorch's <c>nn.Identity</c>: a named point in a graph (an
/// identity shortcut to read with <c>Input = nameof(…)</c>, a placeholder for a layer replaced when
/// fine-tuning). It copies nothing.
/// </summary>
public sealed class IdentityAttribute : LayerAttribute
{
}
