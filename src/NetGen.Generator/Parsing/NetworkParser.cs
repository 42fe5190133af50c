using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Turns a <c>[Network]</c> class symbol into a <see cref="NetworkSpec"/>, collecting every
/// declaration error as a diagnostic on the narrowest syntax at fault. The only place that reads
/// Roslyn symbols.
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttribute = "NetGen.NetworkAttribute";
    private const string InputAttribute = "NetGen.InputAttribute";
    private const string LayerAttribute = "NetGen.LayerAttribute";
    private const string FrozenAttribute = "NetGen.FrozenAttribute";

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var classSyntax = (ClassDeclarationSyntax)context.TargetNode;
        var diagnostics = new List<DiagnosticInfo>();
        try
        {
            return Parse(type, classSyntax, context.Attributes[0], diagnostics, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            diagnostics.Add(DiagnosticInfo.InternalError(LocationInfo.From(classSyntax.Identifier.GetLocation()), type.Name, exception));
            return new ParseResult(null, null, diagnostics.ToEquatableArray());
        }
    }

    private static ParseResult Parse(INamedTypeSymbol type, ClassDeclarationSyntax classSyntax, AttributeData networkAttribute, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var identifier = LocationInfo.From(classSyntax.Identifier.GetLocation());
        if (!classSyntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkNotPartial, identifier, type.Name));
            return Result(null, null, diagnostics);
        }

        var containingTypes = ContainingTypes(type, identifier, diagnostics);
        if (type.IsGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedContainingType, identifier, type.Name, "a network class cannot be generic, because its shapes must be known at build time"));
        }

        if (containingTypes is null || type.IsGenericType)
        {
            return Result(null, null, diagnostics);
        }

        var properties = LayerProperties(type, cancellationToken);
        var declaration = new NetworkDeclaration(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            containingTypes.ToEquatableArray(),
            identifier,
            properties.Where(p => p.IsPartialDefinition).Select(p => new LayerPropertyDeclaration(p.Name, Modifiers(p, cancellationToken), p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))).ToEquatableArray());

        var input = ParseInput(type, identifier, diagnostics, cancellationToken);
        var networkArguments = ReadArguments(networkAttribute, "Network", LocationInfo.From(networkAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)), cancellationToken);
        var loss = (LossKind)networkArguments.Int("Loss", 0);
        var labelSmoothing = ParseLabelSmoothing(type, networkArguments, loss, diagnostics);
        var layers = new List<LayerSpec>();
        foreach (var property in properties)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ParseLayer(property, diagnostics, cancellationToken) is { } layer)
            {
                layers.Add(layer);
            }
        }

        if (properties.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, identifier, type.Name));
        }

        // A layer can also be dropped without a diagnostic of ours, when the compiler already rejects
        // its attribute; planning the rest would describe a different network (or none at all).
        if (diagnostics.Count > 0 || input is null || layers.Count != properties.Count)
        {
            return Result(declaration, null, diagnostics);
        }

        var seed = networkArguments.Int("Seed", 0);
        return Result(declaration, new NetworkSpec(declaration, input, loss, seed, labelSmoothing, layers.ToEquatableArray()), diagnostics);
    }

    /// <summary>[Network(LabelSmoothing = ε)]: ε in [0, 1], and only with softmax cross-entropy.</summary>
    private static double ParseLabelSmoothing(INamedTypeSymbol type, AttributeArguments arguments, LossKind loss, List<DiagnosticInfo> diagnostics)
    {
        var smoothing = arguments.Double("LabelSmoothing", 0);
        string? problem = smoothing switch
        {
            not (>= 0 and <= 1) => $"must lie in [0, 1], got {smoothing.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            > 0 when loss != LossKind.SoftmaxCrossEntropy => $"applies only to Loss.SoftmaxCrossEntropy, not Loss.{loss}; remove it or train with softmax cross-entropy",
            _ => null,
        };

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLabelSmoothing, arguments.LocationOf("LabelSmoothing"), type.Name, problem));
        }

        return smoothing;
    }

    private static ParseResult Result(NetworkDeclaration? declaration, NetworkSpec? spec, List<DiagnosticInfo> diagnostics) =>
        new(declaration, spec, diagnostics.ToEquatableArray());

    /// <summary>Enclosing type declarations, outermost first, or null when one cannot be extended.</summary>
    private static List<string>? ContainingTypes(INamedTypeSymbol type, LocationInfo? identifier, List<DiagnosticInfo> diagnostics)
    {
        var result = new List<string>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            var syntax = outer.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().FirstOrDefault();
            if (outer.IsGenericType || syntax is null || !syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                var why = outer.IsGenericType
                    ? $"its containing type '{outer.Name}' is generic, and shapes must be known at build time"
                    : $"its containing type '{outer.Name}' is not partial; declare it 'partial'";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedContainingType, identifier, type.Name, why));
                return null;
            }

            var keyword = syntax is RecordDeclarationSyntax record
                ? "record " + (record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "struct" : "class")
                : syntax.Keyword.ValueText;
            result.Insert(0, $"partial {keyword} {outer.Name}");
        }

        return result;
    }

    private static Shape? ParseInput(INamedTypeSymbol type, LocationInfo? identifier, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var attribute = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == InputAttribute);
        if (attribute is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingInput, identifier, type.Name));
            return null;
        }

        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var argumentSyntax = syntax?.ArgumentList?.Arguments;
        var values = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array
            ? attribute.ConstructorArguments[0].Values.Select(v => v.Value is int i ? i : 0).ToArray()
            : Array.Empty<int>();
        if (values.Length == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputShape, LocationInfo.From(syntax), 0, type.Name, "missing"));
            return null;
        }

        var valid = true;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] <= 0)
            {
                var location = argumentSyntax is { } args && i < args.Count ? LocationInfo.From(args[i]) : LocationInfo.From(syntax);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputShape, location, i, type.Name, values[i]));
                valid = false;
            }
        }

        return valid ? Shape.Of(values) : null;
    }

    /// <summary>Properties carrying a layer attribute, in declaration order.</summary>
    private static List<IPropertySymbol> LayerProperties(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.GetMembers()
            .OfType<IPropertySymbol>()
            .Where(p => LayerAttributeOf(p) is not null)
            .OrderBy(p => p.Locations.FirstOrDefault()?.SourceTree?.FilePath ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(p => p.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
            .ToList();

    private static AttributeData? LayerAttributeOf(IPropertySymbol property) =>
        property.GetAttributes().FirstOrDefault(a => DerivesFrom(a.AttributeClass, LayerAttribute));

    private static bool DerivesFrom(INamedTypeSymbol? type, string metadataName)
    {
        for (var t = type?.BaseType; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == metadataName)
            {
                return true;
            }
        }

        return false;
    }

    private static LayerSpec? ParseLayer(IPropertySymbol property, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var attribute = LayerAttributeOf(property)!;
        var attributeName = attribute.AttributeClass!.Name.EndsWith("Attribute", StringComparison.Ordinal)
            ? attribute.AttributeClass.Name.Substring(0, attribute.AttributeClass.Name.Length - "Attribute".Length)
            : attribute.AttributeClass.Name;
        var attributeLocation = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken));
        var propertyLocation = LocationInfo.From(property.Locations.FirstOrDefault());

        var kind = LayerKinds.ForAttribute(attribute.AttributeClass.ToDisplayString());
        if (kind is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownLayerKind, attributeLocation, property.Name, attributeName));
            return null;
        }

        if (!property.IsPartialDefinition || property.IsStatic || property.SetMethod is not null || property.GetMethod is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerNotPartial, propertyLocation, property.Name, kind.Name));
            return null;
        }

        if (property.Type.ToDisplayString() != kind.RuntimeType)
        {
            var typeLocation = property.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<PropertyDeclarationSyntax>().FirstOrDefault()?.Type;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerTypeMismatch, LocationInfo.From(typeLocation) ?? propertyLocation, property.Name, attributeName, property.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat), kind.Name));
            return null;
        }

        if (attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error) || attribute.AttributeConstructor is null)
        {
            // The compiler already reports the malformed attribute; binding it would only add noise.
            return null;
        }

        var declaration = new LayerDeclaration(property.Name, StateNames.FromPropertyName(property.Name), Modifiers(property, cancellationToken), attributeLocation);
        var spec = kind.Bind(declaration, ReadArguments(attribute, attributeName, attributeLocation, cancellationToken), diagnostics);
        var frozen = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == FrozenAttribute);
        return spec is null || frozen is null
            ? spec
            : spec with { Frozen = true, FrozenLocation = LocationInfo.From(frozen.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) };
    }

    private static string Modifiers(IPropertySymbol property, CancellationToken cancellationToken)
    {
        var syntax = property.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<PropertyDeclarationSyntax>().FirstOrDefault();
        return syntax is null ? "public partial" : string.Join(" ", syntax.Modifiers.Select(m => m.ValueText));
    }

    private static AttributeArguments ReadArguments(AttributeData attribute, string attributeName, LocationInfo? attributeLocation, CancellationToken cancellationToken)
    {
        var syntaxArguments = (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.ArgumentList?.Arguments
            ?? default(SeparatedSyntaxList<AttributeArgumentSyntax>);
        var result = new List<AttributeArgument>();
        var parameters = attribute.AttributeConstructor!.Parameters;
        for (var i = 0; i < parameters.Length && i < attribute.ConstructorArguments.Length; i++)
        {
            var name = parameters[i].Name;
            var syntax = syntaxArguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == name)
                ?? (i < syntaxArguments.Count && syntaxArguments[i].NameColon is null && syntaxArguments[i].NameEquals is null ? syntaxArguments[i] : null);
            result.Add(Argument(name, attribute.ConstructorArguments[i], LocationInfo.From(syntax)));
        }

        foreach (var named in attribute.NamedArguments)
        {
            var syntax = syntaxArguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == named.Key);
            result.Add(Argument(named.Key, named.Value, LocationInfo.From(syntax)));
        }

        return new AttributeArguments(attributeName, result.ToEquatableArray(), attributeLocation);
    }

    private static AttributeArgument Argument(string name, TypedConstant value, LocationInfo? location) => value switch
    {
        { Kind: TypedConstantKind.Enum, Value: var v } => new(name, ArgumentKind.Enum, Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture), null, EquatableArray<int>.Empty, location),
        { Kind: TypedConstantKind.Primitive, Value: bool b } => new(name, ArgumentKind.Bool, b ? 1 : 0, null, EquatableArray<int>.Empty, location),
        { Kind: TypedConstantKind.Primitive, Value: double d } => new(name, ArgumentKind.Double, 0, null, EquatableArray<int>.Empty, location) { Real = d },
        { Kind: TypedConstantKind.Primitive, Value: int i } => new(name, ArgumentKind.Int, i, null, EquatableArray<int>.Empty, location),
        { Kind: TypedConstantKind.Primitive, Value: string s } => new(name, ArgumentKind.String, 0, s, EquatableArray<int>.Empty, location),
        { Kind: TypedConstantKind.Array } => new(name, ArgumentKind.IntArray, 0, null, value.Values.Select(v => v.Value is int i ? i : 0).ToEquatableArray(), location),
        _ => new(name, ArgumentKind.Other, 0, null, EquatableArray<int>.Empty, location),
    };
}
