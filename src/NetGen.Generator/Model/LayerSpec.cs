namespace NetGen.Generator.Model;

/// <summary>
/// A declared layer: the partial property that carries it and its bound attribute arguments. Each
/// layer kind derives a sealed spec holding its own arguments (see <c>Layers/</c>).
/// </summary>
/// <param name="PropertyName">The C# property, e.g. <c>Hidden</c>.</param>
/// <param name="StateName">The state_dict prefix, e.g. <c>hidden</c>.</param>
/// <param name="Modifiers">The property's declared modifiers, repeated on the implementation (e.g. <c>public partial</c>).</param>
/// <param name="Location">The layer attribute, where shape errors point.</param>
internal abstract record LayerSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location)
{
    /// <summary>The layer kind's name as users write it, e.g. <c>Dense</c>.</summary>
    public abstract string KindName { get; }

    /// <summary>Whether the layer starts frozen (<c>[Frozen]</c>): no parameter gradients, no optimizer updates.</summary>
    public bool Frozen { get; init; }

    /// <summary>The <c>[Frozen]</c> attribute, where a misplaced one is reported.</summary>
    public LocationInfo? FrozenLocation { get; init; }
}
