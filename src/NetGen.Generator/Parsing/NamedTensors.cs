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
/// The tensors a network names: inputs declared as <c>[Input]</c> properties of type <c>InputTensor</c>,
/// and layers marked <c>[Output(loss, Weight = w)]</c>. Each misuse is reported at the attribute or
/// argument at fault.
/// </summary>
internal static class NamedTensors
{
    public const string InputAttribute = "NetGen.InputAttribute";
    private const string OutputAttribute = "NetGen.OutputAttribute";
    private const string InputTensorType = "NetGen.InputTensor";

    /// <summary>Properties carrying <c>[Input]</c>, in declaration order.</summary>
    public static List<IPropertySymbol> InputProperties(INamedTypeSymbol type) =>
        type.GetMembers()
            .OfType<IPropertySymbol>()
            .Where(p => InputAttributeOf(p) is not null)
            .OrderBy(p => p.Locations.FirstOrDefault()?.SourceTree?.FilePath ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(p => p.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
            .ToList();

    public static AttributeData? InputAttributeOf(ISymbol symbol) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == InputAttribute);

    /// <summary>The inputs declared as properties, or null after reporting a misdeclared one.</summary>
    public static List<NetworkInputSpec>? ParseInputs(INamedTypeSymbol type, IReadOnlyList<IPropertySymbol> properties, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var inputs = new List<NetworkInputSpec>();
        var classInput = InputAttributeOf(type);
        foreach (var property in properties)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var attribute = InputAttributeOf(property)!;
            var location = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken));
            var problem = classInput is not null
                ? "is declared as a property, but the class also has [Input]; declare one input on the class, or every input as a property"
                : NetworkParser.LayerAttributeOf(property) is not null
                    ? "is also a layer; an input is a property of its own, which layers read by its name"
                    : !property.IsPartialDefinition || property.IsStatic || property.SetMethod is not null || property.GetMethod is null
                        ? "must be a partial get-only instance property: public partial InputTensor " + property.Name + " { get; }"
                        : property.Type.ToDisplayString() != InputTensorType
                            ? $"has type '{property.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}'; an [Input] property has type InputTensor"
                            : null;
            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidInputDeclaration, location ?? LocationInfo.From(property.Locations.FirstOrDefault()), property.Name, type.Name, problem));
                continue;
            }

            if (NetworkParser.ParseInputShape(type, attribute, diagnostics, cancellationToken) is { } shape)
            {
                inputs.Add(new NetworkInputSpec(property.Name, shape, location) { Modifiers = NetworkParser.Modifiers(property, cancellationToken) });
            }
        }

        return inputs.Count == properties.Count ? inputs : null;
    }

    /// <summary>
    /// The layers marked <c>[Output]</c>, in declaration order, or null after reporting a misdeclared one:
    /// an <c>[Output]</c> off a layer, a weight that is not finite and positive, or a network that also
    /// sets its own <c>Loss</c> or <c>LabelSmoothing</c> (which speak of its one output).
    /// </summary>
    public static List<OutputSpec>? ParseOutputs(INamedTypeSymbol type, IReadOnlyList<IPropertySymbol> layers, AttributeArguments network, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var outputs = new List<OutputSpec>();
        var ok = true;
        foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
        {
            if (OutputAttributeOf(property) is { } attribute && !layers.Contains(property, SymbolEqualityComparer.Default))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidOutput, LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken)), property.Name, type.Name, "[Output] marks a layer, and this property carries no layer attribute"));
                ok = false;
            }
        }

        foreach (var layer in layers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (OutputAttributeOf(layer) is not { AttributeConstructor: not null } attribute || attribute.ConstructorArguments.Any(a => a.Kind == TypedConstantKind.Error))
            {
                continue;
            }

            var location = LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken));
            var weightArgument = (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.ArgumentList?.Arguments
                .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Weight");
            var weight = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Weight").Value.Value switch
            {
                double d => d,
                int i => i,
                _ => 1.0,
            };
            if (!(weight > 0) || double.IsInfinity(weight))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidOutput, LocationInfo.From(weightArgument) ?? location, layer.Name, type.Name, $"Weight must be finite and positive, got {weight.ToString(System.Globalization.CultureInfo.InvariantCulture)}; leave an output out of training by removing its [Output]"));
                ok = false;
                continue;
            }

            if (layer.Name == "Total")
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidOutput, location, layer.Name, type.Name, "an output cannot be called Total, the name the generated Losses give the weighted sum; rename the layer"));
                ok = false;
                continue;
            }

            outputs.Add(new OutputSpec(layer.Name, (LossKind)Convert.ToInt32(attribute.ConstructorArguments[0].Value, System.Globalization.CultureInfo.InvariantCulture), weight, location));
        }

        if (outputs.Count > 0)
        {
            foreach (var (argument, problem) in new[] { ("Loss", "each output names its loss in [Output], so the network sets no Loss; remove Loss from [Network]"), ("LabelSmoothing", "label smoothing applies to a network with one loss, declared on [Network]; remove LabelSmoothing from [Network]") })
            {
                if (network.Find(argument) is { } set)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidOutput, set.Location ?? network.AttributeLocation, outputs[0].LayerName, type.Name, problem));
                    ok = false;
                }
            }
        }

        return ok ? outputs : null;
    }

    private static AttributeData? OutputAttributeOf(IPropertySymbol property) =>
        property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == OutputAttribute);
}
