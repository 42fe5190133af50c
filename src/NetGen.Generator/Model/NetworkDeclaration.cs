using System.Linq;

namespace NetGen.Generator.Model;

/// <summary>A layer property as written, kept so a failed network still gets compiling property bodies.</summary>
internal sealed record LayerPropertyDeclaration(string PropertyName, string Modifiers, string TypeName);

/// <summary>
/// The partial class NetGen adds to: where it lives and which layer properties it must implement.
/// </summary>
/// <param name="Namespace">The containing namespace, or null for the global namespace.</param>
/// <param name="ContainingTypes">Declarations of enclosing types, outermost first (e.g. <c>partial class Outer</c>).</param>
internal sealed record NetworkDeclaration(string? Namespace, string TypeName, EquatableArray<string> ContainingTypes, LocationInfo? Location, EquatableArray<LayerPropertyDeclaration> LayerProperties)
{
    /// <summary>The dotted name used in hint names: <c>Namespace.Outer.Type</c>.</summary>
    public string QualifiedName =>
        string.Join(".", new[] { Namespace ?? string.Empty }
            .Concat(ContainingTypes.Select(c => c.Substring(c.LastIndexOf(' ') + 1)))
            .Concat(new[] { TypeName })
            .Where(part => part.Length > 0));
}
