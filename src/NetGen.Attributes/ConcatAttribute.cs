namespace NetGen;

/// <summary>
/// Joins tensors along their first per-sample axis, like <c>torch.cat(tensors, dim=1)</c>: the channels
/// of images <c>[C, H, W]</c> (heights and widths must agree) or the features of vectors.
/// </summary>
/// <example>
/// <code>
/// [Concat(nameof(Branch3x3), nameof(Branch5x5))] public partial Concat Joined { get; }
/// </code>
/// </example>
public sealed class ConcatAttribute : LayerAttribute
{
    /// <summary>Declares the concatenation of the layers named in <paramref name="inputs"/> (at least two), in that order.</summary>
    public ConcatAttribute(params string[] inputs) => Inputs = inputs;

    /// <summary>The joined layers, as <c>nameof(Layer)</c>, in order.</summary>
    public string[] Inputs { get; }
}
