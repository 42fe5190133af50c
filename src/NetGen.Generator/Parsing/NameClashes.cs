using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Names that would break the generated part or its checkpoints: a class, layer, member or
/// inherited member named like a generated member, two layers needing the same generated member (names differing only in
/// the case of their first letter share a view field), and two layers with one state_dict name.
/// Each is reported once, on the later declaration, instead of as errors inside generated code or
/// as checkpoints that cannot be loaded.
/// </summary>
internal static class NameClashes
{
    public static void Check(INamedTypeSymbol type, LocationInfo? identifier, IReadOnlyList<IPropertySymbol> layers, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        if (GeneratedMemberNames.Fixed.Contains(type.Name))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameClash, identifier, type.Name, type.Name, $"the generated member '{type.Name}', and C# forbids a member named like its class"));
        }

        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        var cleanLayers = new List<IPropertySymbol>();
        foreach (var layer in layers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var generated = GeneratedMemberNames.ForLayer(layer.Name).ToList();
            var clash = layer.Name == type.Name
                ? "the network class's own name, which C# forbids its members"
                : generated.Select(name => Clash(name, owners)).FirstOrDefault(c => c is not null);
            if (clash is not null)
            {
                Report(layer, type, clash, diagnostics);
                continue;
            }

            generated.ForEach(name => owners.Add(name, layer.Name));
            cleanLayers.Add(layer);
        }

        foreach (var member in type.GetMembers().Where(m => IsDeclaredByUser(m) && !layers.Contains(m, SymbolEqualityComparer.Default)))
        {
            if (Clash(member.Name, owners) is { } clash)
            {
                Report(member, type, clash, diagnostics);
            }
        }

        CheckInheritedMembers(type, identifier, owners, diagnostics, cancellationToken);
        CheckStateNames(type, cleanLayers, diagnostics);
    }

    /// <summary>A generated member would hide an inherited one of its name (CS0108 or CS0114 inside generated code).</summary>
    private static void CheckInheritedMembers(INamedTypeSymbol type, LocationInfo? identifier, Dictionary<string, string> owners, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var baseClass = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<ClassDeclarationSyntax>()
            .Select(c => c.BaseList?.Types.FirstOrDefault()?.Type)
            .FirstOrDefault(t => t is not null && RightmostName(t) == type.BaseType?.Name);
        for (var inherited = type.BaseType; inherited is { SpecialType: not SpecialType.System_Object }; inherited = inherited.BaseType)
        {
            foreach (var member in inherited.GetMembers().Where(m => m.DeclaredAccessibility != Accessibility.Private && !m.IsImplicitlyDeclared && m is not IMethodSymbol { MethodKind: not MethodKind.Ordinary }))
            {
                if (Clash(member.Name, owners) is { } clash)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameClash, LocationInfo.From(baseClass) ?? identifier, $"{inherited.Name}.{member.Name}", type.Name, clash));
                }
            }
        }
    }

    private static string? RightmostName(TypeSyntax type) => type switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null, // predefined, array, tuple or pointer types: none can be a base class
    };

    /// <summary>Why <paramref name="name"/> is taken, or null when it is free.</summary>
    private static string? Clash(string name, Dictionary<string, string> owners) =>
        GeneratedMemberNames.Fixed.Contains(name) ? $"the generated member '{name}'"
        : owners.TryGetValue(name, out var layer) ? $"layer '{layer}', for which NetGen generates the member '{name}'"
        : null;

    /// <summary>Members written in the user's source: not accessors, constructors or other compiler-made members, whose names cannot collide with ours.</summary>
    private static bool IsDeclaredByUser(ISymbol member) =>
        !member.IsImplicitlyDeclared
        && member is not IMethodSymbol { MethodKind: not MethodKind.Ordinary }
        && member.Locations.Any(l => l.IsInSource);

    /// <summary>A checkpoint keys tensors by state_dict name (<c>hidden_layer.weight</c>), so two layers must never share one.</summary>
    private static void CheckStateNames(INamedTypeSymbol type, List<IPropertySymbol> layers, List<DiagnosticInfo> diagnostics)
    {
        var firstByStateName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            var stateName = StateNames.FromPropertyName(layer.Name);
            if (firstByStateName.TryGetValue(stateName, out var first))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.StateNameClash, LocationInfo.From(layer.Locations.FirstOrDefault()), first, layer.Name, type.Name, stateName));
            }
            else
            {
                firstByStateName.Add(stateName, layer.Name);
            }
        }
    }

    private static void Report(ISymbol member, INamedTypeSymbol type, string clash, List<DiagnosticInfo> diagnostics) =>
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NameClash, LocationInfo.From(member.Locations.FirstOrDefault()), member.Name, type.Name, clash));
}
