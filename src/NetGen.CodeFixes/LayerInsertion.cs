using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>Inserting a layer property before another, laid out as a person would write it.</summary>
internal static class LayerInsertion
{
    /// <summary>
    /// <paramref name="root"/> with <paramref name="declaration"/> inserted just before <paramref name="property"/>
    /// (which becomes <paramref name="replacement"/>, e.g. the same property with an argument changed): the
    /// blank lines above the property now go above the new member, which takes the property's indentation.
    /// </summary>
    public static SyntaxNode Before(SyntaxNode root, PropertyDeclarationSyntax property, PropertyDeclarationSyntax replacement, string declaration)
    {
        var (separator, own) = SplitLeadingTrivia(property);
        var member = SyntaxFactory.ParseMemberDeclaration(declaration)!
            .WithLeadingTrivia(separator.AddRange(own.Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Take(1)))
            .WithTrailingTrivia(NetGenNames.EndOfLine(root));
        return root.ReplaceNode(property, [member, replacement.WithLeadingTrivia(own)]);
    }

    /// <summary>
    /// Splits the property's leading trivia into the blank lines that separate it from the member
    /// above (which go above the inserted member) and its own indentation and comments (which stay).
    /// </summary>
    private static (SyntaxTriviaList Separator, SyntaxTriviaList Own) SplitLeadingTrivia(PropertyDeclarationSyntax property)
    {
        var leading = property.GetLeadingTrivia();
        var lastBlankBreak = -1;
        for (var i = 0; i < leading.Count && (leading[i].IsKind(SyntaxKind.EndOfLineTrivia) || leading[i].IsKind(SyntaxKind.WhitespaceTrivia)); i++)
        {
            if (leading[i].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                lastBlankBreak = i;
            }
        }

        return (SyntaxFactory.TriviaList(leading.Take(lastBlankBreak + 1)), SyntaxFactory.TriviaList(leading.Skip(lastBlankBreak + 1)));
    }
}
