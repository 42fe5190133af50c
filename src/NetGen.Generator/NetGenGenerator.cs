using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Analysis;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Parsing;

namespace NetGen.Generator;

/// <summary>
/// The NetGen incremental generator: the pipeline only. Parsing (symbols → spec), planning
/// (shape inference, fusion, memory plan) and emission live in their own folders.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetGenGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, for incremental-caching tests.</summary>
    public static class Steps
    {
        /// <summary>Symbols of one <c>[Network]</c> class reduced to a spec and its declaration diagnostics.</summary>
        public const string Parse = "NetGen.Parse";

        /// <summary>Shape inference, loss fusion and memory planning of one spec.</summary>
        public const string Plan = "NetGen.Plan";
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (syntax, cancellationToken) => NetworkParser.Parse(syntax, cancellationToken))
            .WithTrackingName(Steps.Parse)
            .Where(static parse => parse is not null)
            .Select(static (parse, _) => parse!);

        var planned = parsed
            .Select(static (parse, _) => new PlannedNetwork(parse, parse.Spec is null ? null : PlanSafely(parse.Spec)))
            .WithTrackingName(Steps.Plan);

        // Every network's hint name, to tell apart names that differ only in case; an equatable
        // array, so the outputs stay cached while the set of names is unchanged.
        var hintNames = parsed
            .Select(static (parse, _) => parse.Declaration?.HintName ?? string.Empty)
            .Collect()
            .Select(static (names, _) => names.ToEquatableArray());

        context.RegisterSourceOutput(planned.Combine(hintNames), static (output, network) => Produce(output, network.Left, network.Right));
    }

    internal static PlanResult PlanSafely(NetworkSpec spec)
    {
        try
        {
            return NetworkPlanner.Plan(spec);
        }
        catch (Exception exception)
        {
            var error = DiagnosticInfo.InternalError(spec.Declaration.Location, spec.TypeName, exception);
            return new PlanResult(null, EquatableArray.Create(error));
        }
    }

    private static void Produce(SourceProductionContext output, PlannedNetwork network, EquatableArray<string> allHintNames)
    {
        foreach (var diagnostic in network.Parse.Diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        foreach (var diagnostic in network.Plan?.Diagnostics ?? EquatableArray<DiagnosticInfo>.Empty)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        if (network.Parse.Declaration is not { } declaration)
        {
            return;
        }

        string source;
        try
        {
            source = network.Plan?.Plan is { } plan ? CpuEmitter.Emit(plan) : CpuEmitter.EmitFallback(declaration);
        }
        catch (Exception exception)
        {
            output.ReportDiagnostic(DiagnosticInfo.InternalError(declaration.Location, declaration.TypeName, exception).ToDiagnostic());
            source = CpuEmitter.EmitFallback(declaration);
        }

        var hintName = HintNames.Unique(declaration.HintName, allHintNames);
        output.AddSource(hintName + ".g.cs", source);
        if (network.Plan?.Plan is { } planned)
        {
            ProduceGpu(output, declaration, hintName, planned);
        }
    }

    /// <summary>The GPU backend's file, or the NG0301 Info saying which layer keeps the network on the CPU.</summary>
    private static void ProduceGpu(SourceProductionContext output, NetworkDeclaration declaration, string hintName, NetworkPlan plan)
    {
        if (GpuEmitter.Unsupported(plan) is { } fallback)
        {
            output.ReportDiagnostic(fallback.ToDiagnostic());
            return;
        }

        try
        {
            output.AddSource(hintName + ".Gpu.g.cs", GpuEmitter.Emit(plan));
        }
        catch (Exception exception)
        {
            output.ReportDiagnostic(DiagnosticInfo.InternalError(declaration.Location, declaration.TypeName, exception).ToDiagnostic());
        }
    }

    /// <summary>A parsed network with its plan (null when parsing already failed).</summary>
    private sealed record PlannedNetwork(ParseResult Parse, PlanResult? Plan);
}
