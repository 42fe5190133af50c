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
/// NG0121: an Embedding with fewer rows than its input has token ids: sets the Embedding's vocabulary
/// argument (where the diagnostic points) to the input's vocabulary, which the message names.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MatchVocabularyFix)), Shared]
public sealed class MatchVocabularyFix : CodeFixProvider
{
    private static readonly Regex Vocabulary = new("set its vocabulary to (?<vocabulary>[0-9]+)$", RegexOptions.CultureInvariant);

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => [NetGenIds.EmbeddingVocabularyTooSmall];

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        var match = Vocabulary.Match(diagnostic.GetMessage(CultureInfo.InvariantCulture));
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var argument = root?.FindNode(context.Span).AncestorsAndSelf().OfType<AttributeArgumentSyntax>().FirstOrDefault();
        if (!match.Success || root is null || argument is null)
        {
            return;
        }

        var value = match.Groups["vocabulary"].Value;
        var literal = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(int.Parse(value, CultureInfo.InvariantCulture))).WithTriviaFrom(argument.Expression);
        context.RegisterCodeFix(
            CodeAction.Create(
                $"Give the Embedding the input's vocabulary ({value})",
                _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, literal))),
                nameof(MatchVocabularyFix)),
            diagnostic);
    }
}
