using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Which tensors a layer reads, as its declaration says: the inputs a merge op names in its constructor
/// (<c>[Add(nameof(A), nameof(B))]</c>, bound by its kind), else <c>Input = nameof(X)</c>, else the
/// layer declared before it, else (the first layer) the network input. Names are checked later, against
/// the whole network, by <c>Analysis.GraphBuilder</c>.
/// </summary>
internal static class LayerInputs
{
    public static LayerSpec? Resolve(LayerKind kind, LayerDeclaration declaration, LayerSpec? spec, AttributeArguments arguments, string? previous, List<DiagnosticInfo> diagnostics)
    {
        var named = Named(arguments);
        if (kind.NamesItsInputs)
        {
            if (named is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, named.Location ?? arguments.AttributeLocation, declaration.PropertyName, $"{kind.Name} names its inputs in its constructor; remove Input = \"{named.Name}\""));
                return null;
            }

            return spec;
        }

        return spec is null ? null : spec with { Inputs = EquatableArray.Create(named ?? Previous(arguments, previous)) };
    }

    /// <summary>What a layer reading one tensor reads: <c>Input = nameof(X)</c>, else the layer declared before it, else the network input.</summary>
    public static InputReference Single(AttributeArguments arguments, string? previous) => Named(arguments) ?? Previous(arguments, previous);

    private static InputReference? Named(AttributeArguments arguments) =>
        arguments.Find("Input") is { Kind: ArgumentKind.String, Text: { } name } input ? new InputReference(name, input.Location) : null;

    private static InputReference Previous(AttributeArguments arguments, string? previous) => new(previous ?? InputReference.NetworkInput, arguments.AttributeLocation);
}
