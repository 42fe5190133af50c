using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace NetGen.CodeFixes;

/// <summary>NG0001: adds <c>partial</c> to a <c>[Network]</c> class so NetGen can add its generated part.</summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(MakeNetworkPartialFix)), Shared]
public sealed class MakeNetworkPartialFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => [NetGenIds.NetworkNotPartial];

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var type = root?.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().OfType<ClassDeclarationSyntax>().FirstOrDefault();
        if (root is null || type is null)
        {
            return;
        }

        var title = $"Make '{type.Identifier.ValueText}' partial";
        context.RegisterCodeFix(
            CodeAction.Create(title, _ => Task.FromResult(MakePartial(context.Document, root, type)), nameof(MakeNetworkPartialFix)),
            context.Diagnostics);
    }

    private static Document MakePartial(Document document, SyntaxNode root, ClassDeclarationSyntax type)
    {
        var generator = SyntaxGenerator.GetGenerator(document);
        var partial = generator.WithModifiers(type, generator.GetModifiers(type).WithPartial(true));
        return document.WithSyntaxRoot(root.ReplaceNode(type, partial));
    }
}
