using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Parsing;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>
/// Legal but unusual C# that once broke the generator (CS8785, errors inside generated code) or its
/// checkpoints: each either works like any network or gets exactly one NG error and a clean fallback.
/// </summary>
public sealed class HostileDeclarationTests
{
    [Fact]
    public void NetworkSplitOverPartialDeclarationsGetsOneFileAndTrains()
    {
        var run = GeneratorHarness.Run(
            """
            using NetGen;

            namespace Split;

            [Network(Seed = 3)]
            public partial class Net
            {
                [Dense(8, Activation.ReLU)] public partial Dense Hidden { get; }
            }
            """,
            """
            using NetGen;

            namespace Split;

            [Input(4)]
            public partial class Net
            {
                [Dense(3)] public partial Dense Output { get; }
            }
            """);

        AssertClean(run);
        Assert.Equal(["Split.Net.Gpu.g.cs", "Split.Net.g.cs"], run.Sources.Keys.Order(System.StringComparer.Ordinal));
        using var assembly = new LoadedAssembly(run.Compilation);
        var network = assembly.Create("Split.Net");
        Assert.Equal(["hidden.weight", "hidden.bias", "output.weight", "output.bias"], network.ParameterLayout.Select(p => p.Name));
        Assert.True(float.IsFinite(LoadedAssembly.TrainOneStep(network)));
    }

    [Fact]
    public void NetworkAttributeOnTwoPartialDeclarationsLeavesOnlyTheCompilersError()
    {
        var run = GeneratorHarness.Run(
            """
            using NetGen;

            [Network, Input(4)]
            public partial class Net
            {
                [Dense(2)] public partial Dense Output { get; }
            }

            [Network]
            public partial class Net
            {
            }
            """);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal("CS0579", Assert.Single(run.CompilationProblems).Id);
        Assert.Equal(["Net.Gpu.g.cs", "Net.g.cs"], run.Sources.Keys.Order(System.StringComparer.Ordinal));
    }

    [Fact]
    public void LayerPropertyDeclaredTwiceLeavesOnlyTheCompilersError()
    {
        // Two partial declarations of one network that both declare Output (CS0102, CS9250): the generator once
        // planned both layers under one name and failed with NG0901 ("An item with the same key"), and its
        // fallback implemented Output twice.
        var run = GeneratorHarness.Run(
            """
            using NetGen;

            [Network, Input(4)]
            public partial class Net
            {
                [Dense(2)] public partial Dense Output { get; }
            }
            """,
            """
            using NetGen;

            public partial class Net
            {
                [Dense(2)] public partial Dense Output { get; }
            }
            """);

        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal(["CS0102", "CS9250"], run.CompilationProblems.Select(d => d.Id).Distinct().Order(System.StringComparer.Ordinal));
        Assert.All(run.CompilationProblems, d => Assert.Equal("Network1.cs", d.Location.SourceTree?.FilePath)); // none in generated code
    }

    [Fact]
    public void KeywordNamesWrittenVerbatimCompileAndTrain()
    {
        var run = GeneratorHarness.Run(
            """
            using NetGen;

            namespace @namespace.@checked;

            public partial class @struct
            {
                [Network, Input(4)]
                public partial class @class
                {
                    [Dense(4, Activation.ReLU)] public partial Dense @int { get; }
                    [Dense(2)] public partial Dense @event { get; }
                }
            }
            """);

        AssertClean(run);
        Assert.Equal(["namespace.checked.struct.class.Gpu.g.cs", "namespace.checked.struct.class.g.cs"], run.Sources.Keys.Order(System.StringComparer.Ordinal));
        using var assembly = new LoadedAssembly(run.Compilation);
        var network = assembly.Create("namespace.checked.struct+class");
        Assert.Equal(["int.weight", "int.bias", "event.weight", "event.bias"], network.ParameterLayout.Select(p => p.Name));
        Assert.True(float.IsFinite(LoadedAssembly.TrainOneStep(network)));
    }

    [Fact]
    public void NetworksWhoseNamesDifferOnlyInCaseGetFilesOfTheirOwn()
    {
        // Roslyn compares hint names ignoring case, so 'Net.g.cs' and 'net.g.cs' would be one name (CS8785).
        var run = GeneratorHarness.Run(
            """
            using NetGen;

            namespace Models;

            [Network, Input(4)]
            public partial class Net
            {
                [Dense(2)] public partial Dense Output { get; }
            }

            [Network, Input(3)]
            public partial class net
            {
                [Dense(2)] public partial Dense Output { get; }
            }
            """);

        AssertClean(run);
        Assert.Equal(4, run.Sources.Keys.Distinct(System.StringComparer.OrdinalIgnoreCase).Count());
        using var assembly = new LoadedAssembly(run.Compilation);
        Assert.Equal(4, assembly.Create("Models.Net").InputSize);
        Assert.Equal(3, assembly.Create("Models.net").InputSize);
    }

    [Fact]
    public void GenericNetworkGetsAFallbackUnderAHintNameWithoutAngleBrackets()
    {
        var run = GeneratorHarness.Run(
            """
            using NetGen;

            namespace Models;

            public partial class Outer<TKey, TValue>
            {
                [Network, Input(4)]
                public partial class Net<T>
                {
                    [Dense(2)] public partial Dense Output { get; }
                }
            }
            """);

        Assert.Equal("NG0008", Assert.Single(run.GeneratorDiagnostics).Id);
        Assert.Empty(run.CompilationProblems);
        Assert.Equal("Models.Outer{TKey,TValue}.Net{T}.g.cs", Assert.Single(run.Sources.Keys));
    }

    public static TheoryData<string> ReservedNames() => new(GeneratedMemberNames.Fixed.Order(System.StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(ReservedNames))]
    public void LayerNamedLikeAGeneratedMemberGetsOneErrorOnTheProperty(string name)
    {
        var source = $$"""
            using NetGen;

            [Network, Input(4)]
            public partial class Net
            {
                [Dense(2)] public partial Dense {{name}} { get; }
            }
            """;
        var run = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("NG0010", diagnostic.Id);
        Assert.Equal(source.IndexOf(" " + name + " {", System.StringComparison.Ordinal) + 1, diagnostic.Location.SourceSpan.Start);
        Assert.Equal($"'{name}' in network 'Net' clashes with the generated member '{name}'; rename it", diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Empty(run.CompilationProblems);
    }

    [Fact]
    public void LayerNamedLikeItsNetworkGetsOneErrorAndNoneInGeneratedCode()
    {
        var run = GeneratorHarness.Run(
            """
            using NetGen;

            [Network, Input(4)]
            public partial class Net
            {
                [Dense(2)] public partial Dense Net { get; }
            }
            """);

        Assert.Equal("NG0010", Assert.Single(run.GeneratorDiagnostics).Id);
        Assert.DoesNotContain(run.CompilationProblems, d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", System.StringComparison.Ordinal) == true);
    }

    private static void AssertClean(GeneratorRun run)
    {
        Assert.Empty(run.Exceptions);
        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity > DiagnosticSeverity.Info));
        Assert.Empty(run.CompilationProblems);
    }
}
