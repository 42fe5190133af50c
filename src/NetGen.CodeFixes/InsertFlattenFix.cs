using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>
/// NG0101: inserts <c>[Flatten] … Flatten {Layer}Flatten { get; }</c> before a layer that needs a
/// vector but receives an image-like tensor. Offered only when the generator's message proposes a
/// Flatten, i.e. when flattening is what makes the shapes fit.
/// </summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(InsertFlattenFix)), Shared]
public sealed class InsertFlattenFix : CodeFixProvider
{
    private const string FlattenHint = "add a Flatten layer before";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => [NetGenIds.InputRankMismatch];

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (!diagnostic.GetMessage(CultureInfo.InvariantCulture).Contains(FlattenHint))
        {
            return;
        }

        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var property = root?.FindNode(context.Span).AncestorsAndSelf().OfType<PropertyDeclarationSyntax>().FirstOrDefault();
        if (root is null || property?.Parent is not TypeDeclarationSyntax)
        {
            return;
        }

        var title = $"Insert a Flatten layer before '{property.Identifier.ValueText}'";
        context.RegisterCodeFix(
            CodeAction.Create(title, token => InsertAsync(context.Document, root, property, token), nameof(InsertFlattenFix)),
            diagnostic);
    }

    private static async Task<Document> InsertAsync(Document document, SyntaxNode root, PropertyDeclarationSyntax property, CancellationToken cancellationToken)
    {
        var model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        var typeSymbol = model.GetDeclaredSymbol((TypeDeclarationSyntax)property.Parent!, cancellationToken)!;
        var name = FreeName(typeSymbol, property.Identifier.ValueText + "Flatten");
        var flatten = NetGenNames.TypeName(model, property.SpanStart, "Flatten");

        var modifiers = string.Join(" ", property.Modifiers.Select(m => m.ValueText));
        var (separator, own) = SplitLeadingTrivia(property);
        var member = SyntaxFactory.ParseMemberDeclaration($"[{flatten}] {modifiers} {flatten} {name} {{ get; }}")!
            .WithLeadingTrivia(separator.AddRange(own.Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Take(1)))
            .WithTrailingTrivia(NetGenNames.EndOfLine(root));
        var layer = property.WithLeadingTrivia(own);
        return document.WithSyntaxRoot(root.ReplaceNode(property, [member, layer]));
    }

    /// <summary>
    /// Splits the property's leading trivia into the blank lines that separate it from the member
    /// above (which now go above the Flatten) and its own indentation and comments (which stay).
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

    private static string FreeName(INamedTypeSymbol type, string preferred)
    {
        var candidate = preferred;
        for (var suffix = 2; type.Name == candidate || type.GetMembers(candidate).Length > 0; suffix++)
        {
            candidate = preferred + suffix.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
