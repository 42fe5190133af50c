namespace NetGen.Generator.Model;

/// <summary>
/// A network input declared as a property (<c>[Input(1, 28, 28)] public partial InputTensor Image { get; }</c>),
/// which layers read by its name.
/// </summary>
/// <param name="Location">The <c>[Input]</c> attribute, where an unused input is reported.</param>
internal sealed record NetworkInputSpec(string Name, Shape Shape, LocationInfo? Location)
{
    /// <summary>The property's declared modifiers, repeated on its implementation (e.g. <c>internal partial</c>).</summary>
    public string Modifiers { get; init; } = "public partial";
}

/// <summary>A layer declared an output with <c>[Output(loss, Weight = w)]</c>.</summary>
/// <param name="LayerName">The layer's property name.</param>
/// <param name="Weight">Its loss's weight in the total, checked finite and positive.</param>
/// <param name="Location">The <c>[Output]</c> attribute, where a loss that does not fit is reported.</param>
internal sealed record OutputSpec(string LayerName, LossKind Loss, double Weight, LocationInfo? Location);
