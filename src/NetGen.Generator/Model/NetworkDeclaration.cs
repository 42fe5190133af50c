namespace NetGen.Generator.Model;

/// <summary>A layer property as written, kept so a failed network still gets compiling property bodies.</summary>
/// <param name="PropertyName">The property's name as an identifier (keywords escaped, e.g. <c>@event</c>).</param>
/// <param name="Accessors">Its accessors as declared, with their own modifiers (<c>get</c>, <c>private set</c>): an implementation must repeat each.</param>
internal sealed record LayerPropertyDeclaration(string PropertyName, string Modifiers, string TypeName, EquatableArray<string> Accessors);

/// <summary>
/// The partial class NetGen adds to: where it lives and which layer properties it must implement.
/// Names are C# identifiers as generated code writes them, keywords escaped (<c>@class</c>).
/// </summary>
/// <param name="Namespace">The containing namespace (e.g. <c>Models.@namespace</c>), or null for the global namespace.</param>
/// <param name="TypeName">The class's identifier, without type parameters.</param>
/// <param name="TypeParameters">The class's type parameter list (e.g. <c>&lt;T&gt;</c>), empty unless generic; only a fallback is ever generated for a generic network.</param>
/// <param name="ContainingTypes">Declarations of enclosing types, outermost first (e.g. <c>partial class Outer</c>).</param>
/// <param name="HintName">
/// The unique file name stem of its generated sources, <c>Namespace.Outer.Type</c> without escapes
/// (hint names cannot hold <c>@</c> or <c>&lt;</c>), type parameters as in XML doc references (<c>Outer{T}</c>).
/// </param>
internal sealed record NetworkDeclaration(
    string? Namespace,
    string TypeName,
    string TypeParameters,
    EquatableArray<string> ContainingTypes,
    string HintName,
    LocationInfo? Location,
    EquatableArray<LayerPropertyDeclaration> LayerProperties);
