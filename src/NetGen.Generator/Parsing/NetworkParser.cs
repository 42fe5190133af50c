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
    private const string LayerAttribute = "NetGen.LayerAttribute";
    private const string FrozenAttribute = "NetGen.FrozenAttribute";

    /// <summary>
    /// Parses the <c>[Network]</c> class declared by <paramref name="context"/>'s node, or returns null
    /// when another of its partial declarations speaks for it: the pipeline yields a class once per
    /// declaration carrying <c>[Network]</c>, and one type must get one generated file.
    /// </summary>
    public static ParseResult? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        var classSyntax = (ClassDeclarationSyntax)context.TargetNode;
        if (!IsPrincipalDeclaration(type, classSyntax))
        {
            return null;
        }

        var diagnostics = new List<DiagnosticInfo>();
        NetworkDeclaration? declaration = null;
        try
        {
            declaration = NetworkDeclarations.Declare(type, classSyntax, diagnostics, cancellationToken);
            var spec = declaration is null || diagnostics.Count > 0 ? null : ParseSpec(type, declaration, context.Attributes[0], diagnostics, cancellationToken);
            return Result(declaration, spec, diagnostics);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The declaration, when it was read, still gets its fallback file, so the build shows this error alone.
            diagnostics.Add(DiagnosticInfo.InternalError(LocationInfo.From(classSyntax.Identifier.GetLocation()), type.Name, exception));
            return Result(declaration, null, diagnostics);
        }
    }

    /// <summary>Whether <paramref name="classSyntax"/> holds the type's first <c>[Network]</c> attribute (a repeated one is the compiler's CS0579).</summary>
    private static bool IsPrincipalDeclaration(INamedTypeSymbol type, ClassDeclarationSyntax classSyntax)
    {
        var first = type.GetAttributes().First(a => a.AttributeClass?.ToDisplayString() == NetworkAttribute).ApplicationSyntaxReference;
        return first is null || (first.SyntaxTree == classSyntax.SyntaxTree && classSyntax.AttributeLists.FullSpan.Contains(first.Span));
    }

    private static NetworkSpec? ParseSpec(INamedTypeSymbol type, NetworkDeclaration declaration, AttributeData networkAttribute, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var identifier = declaration.Location;
        var properties = NetworkDeclarations.LayerProperties(type);
        if (properties.GroupBy(p => p.Name, StringComparer.Ordinal).Any(named => named.Count() > 1))
        {
            // One layer property declared twice (in two partial declarations) is the compiler's CS0102; layers
            // are told apart by name, so no network is planned and that error stands alone.
            return null;
        }

        NameClashes.Check(type, identifier, properties, diagnostics, cancellationToken);
        var inputProperties = NamedTensors.InputProperties(type);
        var namedInputs = inputProperties.Count > 0 ? NamedTensors.ParseInputs(type, inputProperties, diagnostics, cancellationToken) : new List<NetworkInputSpec>();
        var input = inputProperties.Count > 0 ? namedInputs?.FirstOrDefault()?.Shape : ParseInput(type, identifier, diagnostics, cancellationToken);
        var networkArguments = ReadArguments(networkAttribute, "Network", LocationInfo.From(networkAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)), cancellationToken);
        var loss = (LossKind)networkArguments.Int("Loss", 0);
        var labelSmoothing = ParseLabelSmoothing(type, networkArguments, loss, diagnostics);
        var outputs = NamedTensors.ParseOutputs(type, properties, networkArguments, diagnostics, cancellationToken);
        var layers = new List<LayerSpec>();
        string? previous = null;
        foreach (var property in properties)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ParseLayer(property, previous, diagnostics, cancellationToken) is { } layer)
            {
                layers.Add(layer);
            }

            previous = property.Name;
        }

        var names = properties.Select(p => p.Name).ToList();
        layers = LayerReuse.Resolve(type.Name, names, layers, diagnostics);
        if (properties.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoLayers, identifier, type.Name));
        }

        // A layer can also be dropped without a diagnostic of ours, when the compiler already rejects
        // its attribute; planning the rest would describe a different network (or none at all).
        if (diagnostics.Any(d => d.IsError) || input is null || namedInputs is null || outputs is null || layers.Count != properties.Count)
        {
            return null;
        }

        layers = RecurrentStacks.Expand(names, layers, diagnostics);
        if (diagnostics.Any(d => d.IsError))
        {
            return null;
        }

        var seed = networkArguments.Int("Seed", 0);
        return new NetworkSpec(declaration, input, loss, seed, labelSmoothing, layers.ToEquatableArray())
        {
            NamedInputs = namedInputs.ToEquatableArray(),
            Outputs = outputs.ToEquatableArray(),
        };
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

    private static Shape? ParseInput(INamedTypeSymbol type, LocationInfo? identifier, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var attribute = NamedTensors.InputAttributeOf(type);
        if (attribute is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingInput, identifier, type.Name));
            return null;
        }

        return ParseInputShape(type, attribute, diagnostics, cancellationToken);
    }

    /// <summary>The shape an <c>[Input]</c> (on the class or on an input property) declares, or null after reporting a bad dimension.</summary>
    internal static Shape? ParseInputShape(INamedTypeSymbol type, AttributeData attribute, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var argumentSyntax = syntax?.ArgumentList?.Arguments;
        // [Input(null)] passes a null array, whose Values Roslyn refuses to enumerate.
        var values = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0] is { Kind: TypedConstantKind.Array, IsNull: false } shape
            ? shape.Values.Select(v => v.Value is int i ? i : 0).ToArray()
            : Array.Empty<int>();
        if (values.Length == 0)
        {
            var location = argumentSyntax is { Count: 1 } single ? LocationInfo.From(single[0]) : LocationInfo.From(syntax);
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputShape, location, 0, type.Name, "missing"));
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

        var vocabulary = ParseVocabulary(type, ReadArguments(attribute, "Input", LocationInfo.From(syntax), cancellationToken), diagnostics);
        return valid && vocabulary is { } ids ? Shape.Of(values) with { Tokens = ids > 0 ? new TokenInput(ids) : null } : null;
    }

    /// <summary>
    /// An <c>[Input]</c>'s <c>Kind</c> and <c>Vocabulary</c>: the vocabulary of token ids, 0 for features, or null
    /// after NG0123 (token ids without a positive vocabulary, a vocabulary without token ids).
    /// </summary>
    private static int? ParseVocabulary(INamedTypeSymbol type, AttributeArguments arguments, List<DiagnosticInfo> diagnostics)
    {
        var tokens = arguments.Int("Kind", (int)InputKindValue.Features) == (int)InputKindValue.Tokens;
        var vocabulary = arguments.Int("Vocabulary", 0);
        var problem = (tokens, vocabulary) switch
        {
            (true, _) when arguments.Find("Vocabulary") is null => "Kind = InputKind.Tokens needs Vocabulary = n, the number of token ids (each in [0, n))",
            (true, <= 0) => $"Vocabulary = {vocabulary} is not a number of token ids: it must be positive",
            (false, not 0) => $"Vocabulary = {vocabulary} applies to token ids only: add Kind = InputKind.Tokens, or remove Vocabulary",
            _ => null,
        };

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidTokenInput, arguments.LocationOf(arguments.Find("Vocabulary") is null ? "Kind" : "Vocabulary"), type.Name, problem));
            return null;
        }

        return tokens ? vocabulary : 0;
    }

    internal static AttributeData? LayerAttributeOf(IPropertySymbol property) =>
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

    /// <summary>The layer's spec with its inputs resolved; <paramref name="previous"/> is the layer declared before it (null for the first).</summary>
    private static LayerSpec? ParseLayer(IPropertySymbol property, string? previous, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var attribute = LayerAttributeOf(property)!;
        var attributeName = attribute.AttributeClass!.Name.EndsWith("Attribute", StringComparison.Ordinal)
            ? attribute.AttributeClass.Name.Substring(0, attribute.AttributeClass.Name.Length - "Attribute".Length)
            : attribute.AttributeClass.Name;
        var attributeLocation = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken));
        var propertyLocation = LocationInfo.From(property.Locations.FirstOrDefault());

        if (attribute.AttributeClass.ToDisplayString() == LayerReuse.AttributeName)
        {
            return ParseReuse(property, attribute, attributeName, attributeLocation, previous, diagnostics, cancellationToken);
        }

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
        var arguments = ReadArguments(attribute, attributeName, attributeLocation, cancellationToken);
        var spec = LayerInputs.Resolve(kind, declaration, kind.Bind(declaration, arguments, diagnostics), arguments, previous, diagnostics);
        var frozen = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == FrozenAttribute);
        return spec is null || frozen is null
            ? spec
            : spec with { Frozen = true, FrozenLocation = LocationInfo.From(frozen.ApplicationSyntaxReference?.GetSyntax(cancellationToken)) };
    }

    /// <summary>
    /// A <c>[Reuse(nameof(Owner))]</c> property as a <see cref="PendingReuseSpec"/>, which
    /// <see cref="LayerReuse.Resolve"/> turns into the owner's spec once every layer is parsed.
    /// </summary>
    private static LayerSpec? ParseReuse(IPropertySymbol property, AttributeData attribute, string attributeName, LocationInfo? attributeLocation, string? previous, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var syntax = property.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<PropertyDeclarationSyntax>().FirstOrDefault();
        var typeDisplay = property.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        if (!property.IsPartialDefinition || property.IsStatic || property.SetMethod is not null || property.GetMethod is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerNotPartial, LocationInfo.From(property.Locations.FirstOrDefault()), property.Name, typeDisplay));
            return null;
        }

        if (attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error) || attribute.AttributeConstructor is null)
        {
            return null;
        }

        var arguments = ReadArguments(attribute, attributeName, attributeLocation, cancellationToken);
        if (arguments.Find("layer") is not { Kind: ArgumentKind.String, Text: { } owner } named)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidReuse, arguments.LocationOf("layer"), property.Name, "null", "name the layer whose parameters it applies, as nameof(Layer)"));
            return null;
        }

        var pending = new PendingReuseSpec(property.Name, StateNames.FromPropertyName(property.Name), Modifiers(property, cancellationToken), attributeLocation, new ReuseReference(owner, named.Location), property.Type.ToDisplayString(), typeDisplay, LocationInfo.From(syntax?.Type));
        var frozen = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == FrozenAttribute);
        return pending with
        {
            Inputs = EquatableArray.Create(LayerInputs.Single(arguments, previous)),
            Frozen = frozen is not null,
            FrozenLocation = frozen is null ? null : LocationInfo.From(frozen.ApplicationSyntaxReference?.GetSyntax(cancellationToken)),
        };
    }

    internal static string Modifiers(IPropertySymbol property, CancellationToken cancellationToken)
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
            var argument = Argument(name, attribute.ConstructorArguments[i], LocationInfo.From(syntax));
            if (parameters[i].IsParams)
            {
                argument = argument with { ElementLocations = ElementLocations(syntaxArguments, i, syntax).ToEquatableArray() };
            }

            result.Add(argument);
        }

        foreach (var named in attribute.NamedArguments)
        {
            var syntax = syntaxArguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == named.Key);
            result.Add(Argument(named.Key, named.Value, LocationInfo.From(syntax)));
        }

        return new AttributeArguments(attributeName, result.ToEquatableArray(), attributeLocation);
    }

    /// <summary>
    /// Where each element of a <c>params</c> argument is written: the positional arguments from
    /// <paramref name="index"/> on (<c>[Concat(nameof(A), nameof(B))]</c>), or the elements of one array
    /// written in place (<c>new[] { … }</c>, <c>[ … ]</c>); empty when neither.
    /// </summary>
    private static IEnumerable<LocationInfo> ElementLocations(SeparatedSyntaxList<AttributeArgumentSyntax> arguments, int index, AttributeArgumentSyntax? first)
    {
        var elements = first?.Expression switch
        {
            ImplicitArrayCreationExpressionSyntax array => array.Initializer.Expressions.Cast<SyntaxNode>(),
            ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions.Cast<SyntaxNode>(),
            CollectionExpressionSyntax collection => collection.Elements.Cast<SyntaxNode>(),
            _ => arguments.Skip(index).TakeWhile(a => a.NameColon is null && a.NameEquals is null),
        };
        return elements.Select(LocationInfo.From).OfType<LocationInfo>();
    }

    private static AttributeArgument Argument(string name, TypedConstant value, LocationInfo? location) => value switch
    {
        { Kind: TypedConstantKind.Enum, Value: var v } => new(name, ArgumentKind.Enum, Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture), null, EquatableArray<int>.Empty, location),
        { Kind: TypedConstantKind.Primitive, Value: bool b } => new(name, ArgumentKind.Bool, b ? 1 : 0, null, EquatableArray<int>.Empty, location),
        { Kind: TypedConstantKind.Primitive, Value: double d } => new(name, ArgumentKind.Double, 0, null, EquatableArray<int>.Empty, location) { Real = d },
        { Kind: TypedConstantKind.Primitive, Value: int i } => new(name, ArgumentKind.Int, i, null, EquatableArray<int>.Empty, location),
        { Kind: TypedConstantKind.Primitive, Value: string s } => new(name, ArgumentKind.String, 0, s, EquatableArray<int>.Empty, location),
        // An array argument written as null (Pads = null) has no values to read: as if it were absent.
        { Kind: TypedConstantKind.Array, IsNull: true } => new(name, ArgumentKind.Other, 0, null, EquatableArray<int>.Empty, location),
        { Kind: TypedConstantKind.Array, Type: IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_String } } =>
            new(name, ArgumentKind.StringArray, 0, null, EquatableArray<int>.Empty, location) { Texts = value.Values.Select(v => new NullableText(v.Value as string)).ToEquatableArray() },
        { Kind: TypedConstantKind.Array } => new(name, ArgumentKind.IntArray, 0, null, value.Values.Select(v => v.Value is int i ? i : 0).ToEquatableArray(), location),
        _ => new(name, ArgumentKind.Other, 0, null, EquatableArray<int>.Empty, location),
    };
}
