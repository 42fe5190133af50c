using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>
/// NG0005: turns a layer property into the shape NetGen implements: a <c>partial</c> instance
/// property with only a getter, no setter, body or initializer.
/// </summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(MakeLayerPropertyPartialFix)), Shared]
public sealed class MakeLayerPropertyPartialFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => [NetGenIds.LayerNotPartial];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var property = root?.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().OfType<PropertyDeclarationSyntax>().FirstOrDefault();
        if (root is null || property is null)
        {
            return;
        }

        var title = $"Make '{property.Identifier.ValueText}' a partial get-only property";
        context.RegisterCodeFix(
            CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(property, GetOnlyPartial(property)))), nameof(MakeLayerPropertyPartialFix)),
            context.Diagnostics);
    }

    private static PropertyDeclarationSyntax GetOnlyPartial(PropertyDeclarationSyntax property)
    {
        // 'partial' goes last, right before the type, as C# requires; a layer is never static.
        var kept = SyntaxFactory.TokenList(property.Modifiers.Where(m => !m.IsKind(SyntaxKind.StaticKeyword) && !m.IsKind(SyntaxKind.PartialKeyword)));
        var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        var withPartial = kept.Count == 0
            ? property.WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(property.Type.GetLeadingTrivia()))).WithType(property.Type.WithLeadingTrivia())
            : property.WithModifiers(kept.Add(partial));

        // The accessor list replaces whatever followed the name: accessors, '=> body' or '= initializer;'.
        var getOnly = ((PropertyDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration("int P { get; }")!).AccessorList!
            .WithLeadingTrivia(SyntaxFactory.Space)
            .WithTrailingTrivia(property.GetLastToken().TrailingTrivia);
        return withPartial
            .WithIdentifier(withPartial.Identifier.WithTrailingTrivia())
            .WithExpressionBody(null)
            .WithInitializer(null)
            .WithSemicolonToken(default)
            .WithAccessorList(getOnly);
    }
}
