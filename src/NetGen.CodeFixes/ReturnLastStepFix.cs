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
/// NG0101: a layer that needs a vector (a Dense head) fed every step of a recurrent layer: sets
/// <c>ReturnSequences = false</c> on that recurrent layer, so it gives the last step's hidden state.
/// Offered only when the generator's message says the producer returns every step, and only when the
/// producer is declared in the same part of the class with its <c>ReturnSequences</c> argument.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReturnLastStepFix)), Shared]
public sealed class ReturnLastStepFix : CodeFixProvider
{
    private static readonly Regex EveryStepHint = new("'(?<producer>[^']+)' returns every step: set ReturnSequences = false on it", RegexOptions.CultureInvariant);

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => [NetGenIds.InputRankMismatch];

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        var hint = EveryStepHint.Match(diagnostic.GetMessage(CultureInfo.InvariantCulture));
        if (!hint.Success)
        {
            return;
        }

        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var consumer = root?.FindNode(context.Span).AncestorsAndSelf().OfType<PropertyDeclarationSyntax>().FirstOrDefault();
        var name = hint.Groups["producer"].Value;
        var producer = (consumer?.Parent as TypeDeclarationSyntax)?.Members.OfType<PropertyDeclarationSyntax>().FirstOrDefault(p => p.Identifier.ValueText == name);
        var argument = producer?.AttributeLists.SelectMany(list => list.Attributes)
            .SelectMany(attribute => attribute.ArgumentList?.Arguments ?? default)
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "ReturnSequences");
        if (root is null || argument is null)
        {
            return;
        }

        var falseLiteral = SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression).WithTriviaFrom(argument.Expression);
        context.RegisterCodeFix(
            CodeAction.Create(
                $"Return only the last step of '{name}' (ReturnSequences = false)",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, falseLiteral))),
                nameof(ReturnLastStepFix)),
            diagnostic);
    }
}
