using System.Linq;
using Microsoft.CodeAnalysis;

namespace NetGen.CodeFixes;

/// <summary>How to spell NetGen's types in inserted code: short when a <c>using NetGen;</c> makes them bind, else fully qualified.</summary>
internal static class NetGenNames
{
    public static string TypeName(SemanticModel model, int position, string name)
    {
        var bound = model.LookupNamespacesAndTypes(position, name: name).OfType<INamedTypeSymbol>();
        return bound.Any(t => t.ToDisplayString() == "NetGen." + name) ? name : "global::NetGen." + name;
    }

    /// <summary>The line break the document already uses.</summary>
    public static SyntaxTrivia EndOfLine(SyntaxNode root) =>
        root.DescendantTrivia().FirstOrDefault(t => t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } existing
            ? existing
            : Microsoft.CodeAnalysis.CSharp.SyntaxFactory.LineFeed;
}
