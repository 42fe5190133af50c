using System.Linq;

namespace NetGen.Generator.Model;

/// <summary>The kind of a constant attribute argument, as far as layer binding cares.</summary>
internal enum ArgumentKind
{
    Int,
    Double,
    Bool,
    Enum,
    String,
    IntArray,
    StringArray,
    Other,
}

/// <summary>
/// One argument of a layer attribute, reduced to plain values: its parameter name, value and
/// source location (so a diagnostic can point at exactly this argument).
/// </summary>
internal sealed record AttributeArgument(string Name, ArgumentKind Kind, long Number, string? Text, EquatableArray<int> Numbers, LocationInfo? Location)
{
    /// <summary>The value of a <see cref="ArgumentKind.Double"/> argument.</summary>
    public double Real { get; init; }

    /// <summary>The elements of a <see cref="ArgumentKind.StringArray"/> argument (a null element stays null).</summary>
    public EquatableArray<NullableText> Texts { get; init; }

    /// <summary>Where each element of an array argument is written, when it is written element by element (a <c>params</c> list, an array initializer).</summary>
    public EquatableArray<LocationInfo> ElementLocations { get; init; }
}

/// <summary>A string constant that may be null, as an equatable value.</summary>
internal readonly record struct NullableText(string? Value);

/// <summary>
/// The arguments of one layer attribute: constructor arguments by parameter name (defaults
/// filled in) and named properties. Layer kinds bind their spec from this, never from symbols.
/// </summary>
internal sealed record AttributeArguments(string AttributeName, EquatableArray<AttributeArgument> Arguments, LocationInfo? AttributeLocation)
{
    public AttributeArgument? Find(string name) => Arguments.FirstOrDefault(a => a.Name == name);

    public int Int(string name, int fallback) => Find(name) is { Kind: ArgumentKind.Int or ArgumentKind.Enum } a ? (int)a.Number : fallback;

    public double Double(string name, double fallback) => Find(name) switch
    {
        { Kind: ArgumentKind.Double } a => a.Real,
        { Kind: ArgumentKind.Int } a => a.Number,
        _ => fallback,
    };

    public bool Bool(string name, bool fallback) => Find(name) is { Kind: ArgumentKind.Bool } a ? a.Number != 0 : fallback;

    /// <summary>Where to point a diagnostic about <paramref name="name"/>: the argument, else the attribute.</summary>
    public LocationInfo? LocationOf(string name) => Find(name)?.Location ?? AttributeLocation;
}
