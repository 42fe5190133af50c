using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Model;

namespace NetGen.CodeFixes;

/// <summary>
/// NG0102: makes the loss and the last <c>[Dense]</c> layer agree, by whichever change matches the
/// user's intent: one unit for binary cross-entropy, the loss that fits the unit count, or no
/// activation where the loss applies its own link (softmax or sigmoid).
/// </summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(FitLossFix)), Shared]
public sealed class FitLossFix : CodeFixProvider
{
    // Values of NetGen.Loss and NetGen.Activation, as the attributes store them.
    private const int SoftmaxCrossEntropy = (int)LossKind.SoftmaxCrossEntropy;
    private const int BinaryCrossEntropy = (int)LossKind.BinaryCrossEntropy;
    private const int NoActivation = (int)ActivationKind.None;

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => [NetGenIds.LossDoesNotFit];

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var document = context.Document;
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        var attribute = root?.FindNode(context.Span).AncestorsAndSelf().OfType<AttributeSyntax>().FirstOrDefault();
        var network = attribute?.FirstAncestorOrSelf<ClassDeclarationSyntax>();
        if (root is null || model is null || attribute is null || network is null
            || model.GetSymbolInfo(attribute, context.CancellationToken).Symbol?.ContainingType.ToDisplayString() != "NetGen.DenseAttribute"
            || NetworkAttribute(model, network, context.CancellationToken) is not { } networkAttribute)
        {
            return;
        }

        var units = Argument(attribute, "units", 0) is { } unitsArgument ? model.GetConstantValue(unitsArgument.Expression, context.CancellationToken).Value as int? : null;
        var activationArgument = Argument(attribute, "activation", 1);
        var activation = activationArgument is null ? NoActivation : model.GetConstantValue(activationArgument.Expression, context.CancellationToken).Value as int? ?? NoActivation;
        var loss = LossOf(model, networkAttribute, context.CancellationToken);
        var layer = attribute.FirstAncestorOrSelf<PropertyDeclarationSyntax>()?.Identifier.ValueText ?? "the last layer";

        foreach (var (title, change) in Fixes(loss, units, activation, layer))
        {
            context.RegisterCodeFix(
                CodeAction.Create(title, token => change(document, root, model, attribute, networkAttribute, token), title),
                context.Diagnostics);
        }
    }

    private delegate Task<Document> Change(Document document, SyntaxNode root, SemanticModel model, AttributeSyntax layer, AttributeSyntax network, CancellationToken cancellationToken);

    private static IEnumerable<(string Title, Change Change)> Fixes(int loss, int? units, int activation, string layer)
    {
        if (loss == BinaryCrossEntropy && units is > 1)
        {
            yield return ($"Set '{layer}' to 1 unit for binary cross-entropy", (d, r, _, a, _, _) => Task.FromResult(SetUnits(d, r, a, 1)));
            if (LossTable.Of(LossKind.SoftmaxCrossEntropy).Accepts((ActivationKind)activation))
            {
                yield return ($"Use Loss.SoftmaxCrossEntropy for {units} classes", (d, r, m, _, n, t) => Task.FromResult(SetLoss(d, r, m, n, "SoftmaxCrossEntropy")));
            }
        }

        if (loss == SoftmaxCrossEntropy && units == 1 && LossTable.Of(LossKind.BinaryCrossEntropy).Accepts((ActivationKind)activation))
        {
            yield return ("Use Loss.BinaryCrossEntropy for one output unit", (d, r, m, _, n, t) => Task.FromResult(SetLoss(d, r, m, n, "BinaryCrossEntropy")));
        }

        var link = LossTable.TryRead(loss, out var kind) && !LossTable.Of(kind).Accepts((ActivationKind)activation) ? LossTable.Of(kind).LinkPhrase : null;
        if (link is not null)
        {
            var name = Enum.IsDefined(typeof(ActivationKind), activation) ? ((ActivationKind)activation).ToString() : activation.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return ($"Remove the {name} activation from '{layer}' (the loss applies {link})", (d, r, _, a, _, _) => Task.FromResult(RemoveActivation(d, r, a)));
        }
    }

    private static AttributeSyntax? NetworkAttribute(SemanticModel model, ClassDeclarationSyntax network, CancellationToken cancellationToken) =>
        network.AttributeLists.SelectMany(l => l.Attributes)
            .FirstOrDefault(a => model.GetSymbolInfo(a, cancellationToken).Symbol?.ContainingType.ToDisplayString() == "NetGen.NetworkAttribute");

    private static int LossOf(SemanticModel model, AttributeSyntax network, CancellationToken cancellationToken) =>
        network.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Loss") is { } argument
            ? model.GetConstantValue(argument.Expression, cancellationToken).Value as int? ?? SoftmaxCrossEntropy
            : SoftmaxCrossEntropy;

    /// <summary>A constructor argument given by name (<c>units: 3</c>) or by position.</summary>
    private static AttributeArgumentSyntax? Argument(AttributeSyntax attribute, string name, int position)
    {
        var arguments = attribute.ArgumentList?.Arguments ?? default;
        return arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == name)
            ?? (position < arguments.Count && arguments[position].NameColon is null && arguments[position].NameEquals is null ? arguments[position] : null);
    }

    private static Document SetUnits(Document document, SyntaxNode root, AttributeSyntax layer, int units)
    {
        var argument = Argument(layer, "units", 0)!;
        var literal = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(units)).WithTriviaFrom(argument.Expression);
        return document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, literal));
    }

    private static Document RemoveActivation(Document document, SyntaxNode root, AttributeSyntax layer)
    {
        var argument = Argument(layer, "activation", 1)!;
        var list = layer.ArgumentList!;
        return document.WithSyntaxRoot(root.ReplaceNode(list, list.WithArguments(list.Arguments.Remove(argument))));
    }

    private static Document SetLoss(Document document, SyntaxNode root, SemanticModel model, AttributeSyntax network, string loss)
    {
        var value = SyntaxFactory.ParseExpression($"{NetGenNames.TypeName(model, network.SpanStart, "Loss")}.{loss}");
        var existing = network.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Loss");
        if (existing is not null)
        {
            return document.WithSyntaxRoot(root.ReplaceNode(existing.Expression, value.WithTriviaFrom(existing.Expression)));
        }

        var argument = SyntaxFactory.AttributeArgument(value).WithNameEquals(SyntaxFactory.NameEquals("Loss"));
        var list = network.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        var withLoss = network.WithArgumentList(list.WithArguments(list.Arguments.Add(argument)));
        return document.WithSyntaxRoot(root.ReplaceNode(network, withLoss.NormalizeWhitespace().WithTriviaFrom(network)));
    }
}
