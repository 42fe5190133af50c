using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>
/// NG0012: replaces a string that names a layer but for the case of its letters (<c>Input = "hidden"</c>)
/// with <c>nameof(Hidden)</c>, so the compiler checks the name from then on. Offered only when the
/// generator's message proposes the layer ("did you mean 'Hidden'?").
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseNameofFix)), Shared]
public sealed class UseNameofFix : CodeFixProvider
{
    private static readonly Regex Proposal = new("did you mean '(?<name>[^']+)'\\?", RegexOptions.CultureInvariant);

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => [NetGenIds.UnknownInput];

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        var match = Proposal.Match(diagnostic.GetMessage(CultureInfo.InvariantCulture));
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var literal = root?.FindNode(context.Span).DescendantNodesAndSelf().OfType<LiteralExpressionSyntax>().FirstOrDefault(l => l.IsKind(SyntaxKind.StringLiteralExpression));
        if (!match.Success || root is null || literal is null)
        {
            return;
        }

        var name = match.Groups["name"].Value;
        var replacement = SyntaxFactory.ParseExpression($"nameof({name})").WithTriviaFrom(literal);
        context.RegisterCodeFix(
            CodeAction.Create($"Use nameof({name})", _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(literal, replacement))), nameof(UseNameofFix)),
            diagnostic);
    }
}
