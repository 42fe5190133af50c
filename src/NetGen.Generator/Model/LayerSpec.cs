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

    /// <summary>
    /// The tensors the layer reads, in order: what its attribute names (<c>Input = nameof(Conv1)</c>,
    /// <c>[Add(nameof(A), nameof(B))]</c>), else the layer declared before it, or the network input for the first.
    /// </summary>
    public EquatableArray<InputReference> Inputs { get; init; }

    /// <summary>
    /// For a node of a stacked recurrent layer (<c>NumLayers</c> ≥ 2, expanded by <c>Parsing.RecurrentStacks</c>):
    /// the declared property. The last node of the stack carries that property; the others (the layers
    /// below it and the dropout between two) have none and no view. Null for every other layer.
    /// </summary>
    public string? Stack { get; init; }

    /// <summary>Whether the node is a declared property's (not a layer of a stack below its last).</summary>
    public bool HasProperty => Stack is null || Stack == PropertyName;

    /// <summary>
    /// For a use of another layer's parameters (<c>[Reuse(nameof(Owner))]</c>): the owner. The spec is
    /// then the owner's, renamed, reading its own inputs; null for a layer that owns its parameters.
    /// </summary>
    public ReuseReference? Reuses { get; init; }
}

/// <summary>The layer whose parameters a <c>[Reuse]</c> applies, and the argument that names it (where a bad reuse is reported).</summary>
internal sealed record ReuseReference(string Owner, LocationInfo? Location);

/// <summary>
/// One input a layer names: a layer's property name or <see cref="NetworkInput"/>, and the argument
/// that names it (where an unknown name, a cycle or a shape mismatch is reported).
/// </summary>
internal sealed record InputReference(string Name, LocationInfo? Location)
{
    /// <summary>The name of the network's input, as <c>NetGen.LayerAttribute.NetworkInput</c> spells it.</summary>
    public const string NetworkInput = "input";
}
