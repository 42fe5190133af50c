using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Where a <c>[Network]</c> class lives and what its generated part must implement: the
/// <see cref="NetworkDeclaration"/> that even a network with errors gets a fallback file from.
/// </summary>
internal static class NetworkDeclarations
{
    /// <summary>
    /// The declaration, or null when NetGen cannot add to the class at all (it or an enclosing type
    /// is not partial). A generic network, or one nested in a generic type, gets NG0008 and a
    /// declaration, so its fallback still implements the layer properties.
    /// </summary>
    public static NetworkDeclaration? Declare(INamedTypeSymbol type, ClassDeclarationSyntax classSyntax, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var identifier = LocationInfo.From(classSyntax.Identifier.GetLocation());
        if (!classSyntax.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkNotPartial, identifier, type.Name));
            return null;
        }

        // Only the innermost problem is reported: a type nested in a generic one is itself generic
        // to Roslyn (IsGenericType), but only the type with the type parameters is at fault.
        string? problem = type.TypeParameters.Length > 0 ? "a network class cannot be generic, because its shapes must be known at build time" : null;
        var containingTypes = new List<string>();
        var hintParts = new List<string> { HintPart(type) };
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            var syntax = outer.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().FirstOrDefault();
            if (syntax is null || !syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedContainingType, identifier, type.Name, problem ?? $"its containing type '{outer.Name}' is not partial; declare it 'partial'"));
                return null;
            }

            problem ??= outer.TypeParameters.Length > 0 ? $"its containing type '{outer.Name}' is generic, and shapes must be known at build time" : null;
            var keyword = syntax is RecordDeclarationSyntax record
                ? "record " + (record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "struct" : "class")
                : syntax.Keyword.ValueText;
            containingTypes.Insert(0, $"partial {keyword} {Identifiers.Escape(outer.Name)}{TypeParameterList(outer)}");
            hintParts.Insert(0, HintPart(outer));
        }

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedContainingType, identifier, type.Name, problem));
        }

        var namespaces = Namespaces(type.ContainingNamespace);
        // Input properties are partial too: a fallback must implement them as it does the layers.
        var layerProperties = LayerProperties(type).Concat(NamedTensors.InputProperties(type)).Distinct<IPropertySymbol>(SymbolEqualityComparer.Default)
            .Where(p => p.IsPartialDefinition)
            .GroupBy(p => p.Name, StringComparer.Ordinal) // a property declared twice is the compiler's CS0102: implement it once
            .Select(named => named.First())
            .Select(p => new LayerPropertyDeclaration(Identifiers.Escape(p.Name), NetworkParser.Modifiers(p, cancellationToken), p.Type.ToDisplayString(TypeFormat), Accessors(p, cancellationToken)));
        return new NetworkDeclaration(
            namespaces.Count == 0 ? null : string.Join(".", namespaces.Select(Identifiers.Escape)),
            Identifiers.Escape(type.Name),
            TypeParameterList(type),
            containingTypes.ToEquatableArray(),
            string.Join(".", namespaces.Concat(hintParts)),
            identifier,
            layerProperties.ToEquatableArray());
    }

    /// <summary>The accessors of a property's definition, each with its modifiers (<c>get</c>, <c>private set</c>).</summary>
    private static EquatableArray<string> Accessors(IPropertySymbol property, CancellationToken cancellationToken) =>
        property.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<PropertyDeclarationSyntax>().FirstOrDefault()?.AccessorList?.Accessors
            .Select(a => string.Join(" ", a.Modifiers.Select(m => m.ValueText).Append(a.Keyword.ValueText)))
            .ToEquatableArray()
        ?? EquatableArray.Create("get");

    /// <summary>Property types as declared, nullable annotation included, so an implementation's signature matches.</summary>
    private static readonly SymbolDisplayFormat TypeFormat =
        SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>Properties carrying a layer attribute, in declaration order.</summary>
    public static List<IPropertySymbol> LayerProperties(INamedTypeSymbol type) =>
        type.GetMembers()
            .OfType<IPropertySymbol>()
            .Where(p => NetworkParser.LayerAttributeOf(p) is not null)
            .OrderBy(p => p.Locations.FirstOrDefault()?.SourceTree?.FilePath ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(p => p.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
            .ToList();

    /// <summary>Namespace names, outermost first, as declared (without <c>@</c>).</summary>
    private static List<string> Namespaces(INamespaceSymbol? symbol)
    {
        var names = new List<string>();
        for (var ns = symbol; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            names.Insert(0, ns.Name);
        }

        return names;
    }

    private static string TypeParameterList(INamedTypeSymbol type) =>
        type.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", type.TypeParameters.Select(t => Identifiers.Escape(t.Name))) + ">";

    /// <summary>A type's part of the hint name: its name, and type parameters the XML-doc way (<c>Outer{T}</c>), since hint names cannot hold angle brackets.</summary>
    private static string HintPart(INamedTypeSymbol type) =>
        type.TypeParameters.Length == 0 ? type.Name : type.Name + "{" + string.Join(",", type.TypeParameters.Select(t => t.Name)) + "}";
}
