using System;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace NetGen.CodeFixes;

/// <summary>
/// NG0105 on an <c>Add</c> of two images: inserts the residual shortcut's 1×1 <c>Conv2D</c> projection
/// (ResNet's downsample) before the Add and makes the Add read it. The projected branch is the one with
/// the larger image (or, at one size, fewer channels); the projection takes the other branch's channels
/// and the stride that brings the image to its size. Offered only when such a stride exists.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertProjectionFix)), Shared]
public sealed class InsertProjectionFix : CodeFixProvider
{
    private static readonly Regex Mismatch = new(
        @"\(Add\) cannot join '(?<a>[^']+)' \[(?<ashape>[0-9, ]+)\] with '(?<b>[^']+)' \[(?<bshape>[0-9, ]+)\]", RegexOptions.CultureInvariant);

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => [NetGenIds.MergeShapeMismatch];

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        var match = Mismatch.Match(diagnostic.GetMessage(CultureInfo.InvariantCulture));
        if (!match.Success || Plan(match) is not { } plan)
        {
            return;
        }

        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var property = root?.FindNode(context.Span).AncestorsAndSelf().OfType<PropertyDeclarationSyntax>().FirstOrDefault();
        var argument = property?.AttributeLists.SelectMany(l => l.Attributes).SelectMany(a => a.ArgumentList?.Arguments ?? default)
            .FirstOrDefault(a => a.NameEquals is null && a.NameColon is null && Names(a.Expression) == plan.Source);
        if (root is null || property?.Parent is not TypeDeclarationSyntax || argument is null)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create($"Project '{plan.Source}' with a 1×1 Conv2D of {plan.Filters} filters, stride {plan.Stride}", token => InsertAsync(context.Document, root, property, argument, plan, token), nameof(InsertProjectionFix)),
            diagnostic);
    }

    /// <summary>What to project and how: the branch to project, the filters and the stride; null when no 1×1 stride makes the shapes meet.</summary>
    private static (string Source, int Filters, int Stride)? Plan(Match match)
    {
        var a = Shape(match.Groups["ashape"].Value);
        var b = Shape(match.Groups["bshape"].Value);
        if (a.Length != 3 || b.Length != 3)
        {
            return null;
        }

        var aIsSource = a[1] > b[1] || (a[1] == b[1] && a[0] < b[0]);
        var (source, from, to) = aIsSource ? (match.Groups["a"].Value, a, b) : (match.Groups["b"].Value, b, a);
        for (var stride = 1; stride <= from[1]; stride++)
        {
            // A 1×1 window with this stride and no padding leaves (size − 1) / stride + 1 positions per axis.
            if (((from[1] - 1) / stride) + 1 == to[1] && ((from[2] - 1) / stride) + 1 == to[2])
            {
                return (source, to[0], stride);
            }
        }

        return null;
    }

    private static int[] Shape(string dimensions) =>
        dimensions.Split(',').Select(d => int.Parse(d.Trim(), CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The layer an argument names: <c>nameof(X)</c> or <c>"X"</c>.</summary>
    private static string? Names(ExpressionSyntax expression) => expression switch
    {
        InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" }, ArgumentList.Arguments: { Count: 1 } arguments } => arguments[0].Expression.ToString(),
        LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal.Token.ValueText,
        _ => null,
    };

    private static async Task<Document> InsertAsync(Document document, SyntaxNode root, PropertyDeclarationSyntax property, AttributeArgumentSyntax argument, (string Source, int Filters, int Stride) plan, CancellationToken cancellationToken)
    {
        var model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        var type = model.GetDeclaredSymbol((TypeDeclarationSyntax)property.Parent!, cancellationToken)!;
        var name = NetGenNames.FreeName(type, plan.Source + "Projection");
        var conv2D = NetGenNames.TypeName(model, property.SpanStart, "Conv2D");
        var modifiers = string.Join(" ", property.Modifiers.Select(m => m.ValueText));
        var stride = plan.Stride == 1 ? string.Empty : $", Stride = {plan.Stride}";
        var declaration = $"[{conv2D}({plan.Filters}, 1{stride}, Input = nameof({plan.Source}))] {modifiers} {conv2D} {name} {{ get; }}";
        var reads = property.ReplaceNode(argument, argument.WithExpression(SyntaxFactory.ParseExpression($"nameof({name})").WithTriviaFrom(argument.Expression)));
        return document.WithSyntaxRoot(LayerInsertion.Before(root, property, reads, declaration));
    }
}
