using Microsoft.CodeAnalysis.CSharp;

namespace NetGen.Generator.Model;

/// <summary>C# identifiers as generated code must spell them.</summary>
internal static class Identifiers
{
    /// <summary>
    /// The name as an identifier: reserved keywords get the verbatim prefix (<c>class</c> →
    /// <c>@class</c>), since a symbol's name never carries the <c>@</c> its declaration was written with.
    /// </summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None ? name : "@" + name;
}
