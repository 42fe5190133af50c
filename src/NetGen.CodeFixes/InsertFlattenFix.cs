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
        var name = NetGenNames.FreeName(typeSymbol, property.Identifier.ValueText + "Flatten");
        var flatten = NetGenNames.TypeName(model, property.SpanStart, "Flatten");

        var modifiers = string.Join(" ", property.Modifiers.Select(m => m.ValueText));
        return document.WithSyntaxRoot(LayerInsertion.Before(root, property, property, $"[{flatten}] {modifiers} {flatten} {name} {{ get; }}"));
    }
}
