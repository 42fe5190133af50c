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

    /// <summary><paramref name="preferred"/>, or it with the first number from 2 that no member of <paramref name="type"/> (nor the type) is named.</summary>
    public static string FreeName(INamedTypeSymbol type, string preferred)
    {
        var candidate = preferred;
        for (var suffix = 2; type.Name == candidate || type.GetMembers(candidate).Length > 0; suffix++)
        {
            candidate = preferred + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
