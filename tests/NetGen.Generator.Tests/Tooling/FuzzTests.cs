using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.Loader;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.CodeAnalysis;
using NetGen.Generator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Generator.Tests.Tooling;

/// <summary>
/// Random declarations, valid and invalid, many networks per compilation. Whatever the input, the
/// generator never throws, never fails internally and never emits code that does not compile;
/// invalid declarations are reported, valid ones build without warnings and some run a forward pass.
/// Seeded: set NETGEN_FUZZ_SEED to replay a failure (its seed is in the message), NETGEN_FUZZ_COUNT
/// to run more.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int NetworksPerCompilation = 25;
    private static readonly ulong Seed = ulong.TryParse(Environment.GetEnvironmentVariable("NETGEN_FUZZ_SEED"), out var seed) ? seed : 20251121UL;
    private static readonly int Count = int.TryParse(Environment.GetEnvironmentVariable("NETGEN_FUZZ_COUNT"), out var count) ? count : 1000;

    [Fact]
    public void GeneratorKeepsItsInvariantsOnRandomDeclarations()
    {
        var clock = Stopwatch.StartNew();
        var declarations = Sample(Count, seed: Seed);
        foreach (var batch in declarations.Chunk(NetworksPerCompilation))
        {
            Check(batch);
        }

        var kinds = declarations.GroupBy(d => d.Validity).Select(g => $"{g.Count()} {g.Key}");
        output.WriteLine($"{declarations.Count} declarations ({string.Join(", ", kinds)}) in {clock.Elapsed.TotalSeconds:F1} s, seed {Seed}");
    }

    [Fact]
    public void ValidNetworksRunAForwardPassOfTheDeclaredShape()
    {
        var valid = Sample(400, seed: Seed + 1).Where(d => d.Validity == Validity.Valid).Take(50).ToList();
        Assert.Equal(50, valid.Count);
        foreach (var batch in valid.Chunk(NetworksPerCompilation))
        {
            RunForward(batch);
        }
    }

    [Fact]
    public void LayerWithAMalformedArgumentLeavesOnlyTheCompilerError()
    {
        // Found by this fuzzer: the compiler rejects the attribute, the parser skipped the layer and
        // the planner then indexed the last of zero layers (NG0901).
        var run = GeneratorHarness.Run("using NetGen;\n[Network, Input(62)] public partial class N { [Dense(\"ten\")] public partial Dense Output { get; } }");

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Equal("CS1503", Assert.Single(run.Compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error).Id);
    }

    /// <summary>Declarations numbered by position, so names are unique within a compilation.</summary>
    private static List<FuzzDeclaration> Sample(int count, ulong seed) =>
        Enumerable.Range(0, count)
            .Select(i => Gen.Sample(FuzzDeclarations.Declaration(i), 10, new Rnd(seed + (ulong)i), 1)[0])
            .ToList();

    private static void Check(FuzzDeclaration[] batch)
    {
        var run = GeneratorHarness.Run(batch.Select(d => d.Source).ToArray());
        var compilerDiagnostics = run.Compilation.GetDiagnostics();
        Fail(batch, run.Exceptions.Select(e => e.ToString()).FirstOrDefault(), "the generator threw");
        Fail(batch, compilerDiagnostics.Concat(run.GeneratorDiagnostics).FirstOrDefault(d => d.Id is "CS8785" or "NG0901")?.ToString(), "the generator failed");
        var generated = compilerDiagnostics.FirstOrDefault(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
        Fail(batch, generated?.ToString(), "generated code does not compile cleanly");

        for (var i = 0; i < batch.Length; i++)
        {
            var file = $"Network{i}.cs";
            // NG0301 and NG0302 (no GPU path, e.g. for a Softmax the loss does not absorb, or several outputs) are notes, not problems.
            var reported = run.GeneratorDiagnostics.Where(d => d.Location.GetLineSpan().Path == file && d.Id is not ("NG0301" or "NG0302")).ToList();
            var userProblems = compilerDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath == file).ToList();
            var declaration = batch[i];
            if (declaration.Validity == Validity.Valid && (reported.Count > 0 || userProblems.Count > 0))
            {
                Fail(declaration, $"a valid declaration got {string.Join("; ", reported.Concat(userProblems))}");
            }

            if (declaration.Validity == Validity.Invalid && !reported.Any(d => d.Severity == DiagnosticSeverity.Error) && !userProblems.Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                Fail(declaration, $"the fault '{declaration.Fault}' was neither reported by NetGen nor by the compiler");
            }

            if (declaration.Validity == Validity.InvalidForNetGen && !reported.Any(d => d.Severity == DiagnosticSeverity.Error && d.Id.StartsWith("NG", StringComparison.Ordinal)))
            {
                Fail(declaration, $"the fault '{declaration.Fault}' got no NG error");
            }
        }
    }

    private static void RunForward(FuzzDeclaration[] batch)
    {
        var run = GeneratorHarness.Run(batch.Select(d => d.Source).ToArray());
        using var image = new MemoryStream();
        var emitted = run.Compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        image.Position = 0;
        var context = new AssemblyLoadContext("NetGenFuzz", isCollectible: true);
        try
        {
            // The networks themselves: their nested device classes (named Gpu) are INetworks too.
            var types = context.LoadFromStream(image).GetTypes()
                .Where(t => typeof(INetwork).IsAssignableFrom(t) && !typeof(NetGen.Gpu.GpuNetwork).IsAssignableFrom(t))
                .ToDictionary(t => t.Name);
            foreach (var declaration in batch)
            {
                var network = (INetwork)Activator.CreateInstance(types[declaration.TypeName], nonPublic: true)!;
                const int batchSize = 2;
                var inputs = Enumerable.Range(0, batchSize * declaration.InputSize).Select(i => (i % 5) / 5f - 0.4f).ToArray();
                var outputs = new float[batchSize * declaration.OutputSize];

                if (declaration.Fault == "multi-io")
                {
                    // The typed Forward takes spans; the declaration's Probe passes it arrays.
                    var side = new float[batchSize * 2];
                    network.GetType().GetMethod("Probe")!.Invoke(network, [inputs, new float[batchSize * 3], outputs, side]);
                    Assert.True(side.All(float.IsFinite), $"non-finite output from\n{declaration.Source}");
                }
                else
                {
                    network.Forward(inputs, outputs);
                    Assert.Equal(declaration.OutputSize, network.OutputSize);
                }

                Assert.True(outputs.All(float.IsFinite), $"non-finite output from\n{declaration.Source}");
            }
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>Fails with the declaration the problem names (by its unique type name), or the whole batch when it names none.</summary>
    private static void Fail(FuzzDeclaration[] batch, string? problem, string what)
    {
        if (problem is not null)
        {
            var culprits = batch.Where(d => System.Text.RegularExpressions.Regex.IsMatch(problem, $@"\b{d.TypeName}\b")).DefaultIfEmpty().ToArray();
            var shown = culprits[0] is null ? batch : culprits!;
            throw new Xunit.Sdk.XunitException($"{what} (replay with NETGEN_FUZZ_SEED={Seed}): {problem}\nin:\n{string.Join("\n---\n", shown.Select(d => d!.Source))}");
        }
    }

    private static void Fail(FuzzDeclaration declaration, string problem) =>
        throw new Xunit.Sdk.XunitException($"{problem} (replay with NETGEN_FUZZ_SEED={Seed}):\n{declaration.Source}");
}
