using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Parsing;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// NG0010 is only as good as <see cref="GeneratedMemberNames"/>: every member the emitters write into
/// a network class must be listed there (or derived from a layer's name), or a user's member of that
/// name breaks the build inside generated code again; and every listed name must still be generated.
/// </summary>
public sealed class GeneratedMemberNameTests
{
    // Between them: a GPU part, buffers (BatchNorm), dropout, convolutions, nesting, frozen features, and a fallback.
    private static readonly string[] Networks =
    [
        TestNetworks.MnistMlp, TestNetworks.BinaryClassifier, TestNetworks.NestedRegressor, TestNetworks.FlattenedImage,
        TestNetworks.RegularisedClassifier, TestNetworks.FrozenBackbone, ConvTestNetworks.MnistCnn, ConvTestNetworks.TinyConvNet, GraphTestNetworks.MultiIoNet,
        "using NetGen;\n[Network, Input(4)] public partial class Failed { [Dense(0)] public partial Dense Output { get; } }",
    ];

    [Fact]
    public void EveryGeneratedMemberIsReservedOrDerivedFromItsLayer()
    {
        var unlisted = GeneratedMembers().SelectMany(network => network.Names.Except(Expected(network.Type))).Distinct().ToList();

        Assert.True(unlisted.Count == 0, $"generated but missing from GeneratedMemberNames: {string.Join(", ", unlisted)}");
    }

    [Fact]
    public void EveryReservedNameIsStillGenerated()
    {
        var generated = GeneratedMembers().SelectMany(network => network.Names).ToHashSet();

        var stale = GeneratedMemberNames.Fixed.Where(name => !generated.Contains(name)).ToList();

        Assert.True(stale.Count == 0, $"listed in GeneratedMemberNames but no longer generated: {string.Join(", ", stale)}");
    }

    [Fact]
    public void LayerNamesDifferingOnlyInTheCaseOfTheirFirstLetterNeedTheSameField() =>
        Assert.Equal(GeneratedMemberNames.LayerField("HiddenLayer"), GeneratedMemberNames.LayerField("hiddenLayer"));

    /// <summary>Per network type, the names of the members its generated files declare (explicit interface implementations and accessors have no name to collide with).</summary>
    private static List<(INamedTypeSymbol Type, List<string> Names)> GeneratedMembers()
    {
        var run = GeneratorHarness.Run(Networks);
        Assert.Empty(run.CompilationProblems);
        var generatedTrees = run.Compilation.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)).ToHashSet();
        var networks = run.Compilation.SyntaxTrees.Where(t => !generatedTrees.Contains(t))
            .SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>()
                .Select(c => (INamedTypeSymbol)run.Compilation.GetSemanticModel(tree).GetDeclaredSymbol(c)!))
            .Where(t => t.GetAttributes().Any(a => a.AttributeClass?.Name == "NetworkAttribute"))
            .ToList();
        Assert.Equal(Networks.Length, networks.Count);
        return networks.Select(type => (type, type.GetMembers()
            .Where(m => m.Locations.Any(l => generatedTrees.Contains(l.SourceTree!)))
            .Where(m => m is not IMethodSymbol { MethodKind: not MethodKind.Ordinary } && m is not IPropertySymbol { ExplicitInterfaceImplementations.Length: > 0 })
            .Select(m => m.Name)
            .Distinct()
            .ToList())).ToList();
    }

    private static IEnumerable<string> Expected(INamedTypeSymbol network) =>
        GeneratedMemberNames.Fixed.Concat(network.GetMembers().OfType<IPropertySymbol>()
            .Where(p => p.GetAttributes().Any())
            .SelectMany(p => GeneratedMemberNames.ForLayer(p.Name)));
}
