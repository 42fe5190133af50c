using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// Turns a stacked recurrent declaration (<c>[LSTM(h, NumLayers = n, Dropout = p)] LSTM Lstm</c>) into
/// one recurrent node per layer, as PyTorch's <c>num_layers</c> computes it: layer <c>l &gt; 0</c> reads
/// every step of layer <c>l − 1</c> (through a Dropout node when <c>p &gt; 0</c>, active in training
/// only), and only the last honours <c>ReturnSequences</c>. The last node keeps the declared property,
/// so whatever reads <c>Lstm</c> reads the top of the stack; the others are named <c>Lstm_l0</c>, …,
/// <c>Lstm_dropout_l0</c>, …, have no property, and share the state_dict prefix, their tensors being
/// <c>lstm.weight_ih_l{l}</c>, …. From here on the planner and emitters see ordinary nodes; only
/// <see cref="LayerSpec.Stack"/> tells that they freeze and count as one layer.
/// </summary>
internal static class RecurrentStacks
{
    public static List<LayerSpec> Expand(IReadOnlyList<string> properties, List<LayerSpec> layers, List<DiagnosticInfo> diagnostics)
    {
        var expanded = new List<LayerSpec>();
        foreach (var layer in layers)
        {
            if (layer is not RecurrentSpec { NumLayers: > 1 } stack)
            {
                expanded.Add(layer);
            }
            else if (Problem(properties, stack) is { } problem)
            {
                diagnostics.Add(problem);
            }
            else
            {
                expanded.AddRange(Nodes(stack));
            }
        }

        return expanded;
    }

    private static IEnumerable<LayerSpec> Nodes(RecurrentSpec stack)
    {
        var reads = stack.Inputs;
        for (var l = 0; l < stack.NumLayers; l++)
        {
            var last = l == stack.NumLayers - 1;
            var name = last ? stack.PropertyName : LayerName(stack, l);
            yield return stack with { PropertyName = name, Layer = l, ReturnSequences = last ? stack.ReturnSequences : true, Stack = stack.PropertyName, Inputs = reads };
            reads = EquatableArray.Create(new InputReference(name, stack.Location));
            if (!last && stack.InterLayerDropout > 0)
            {
                var dropout = DropoutName(stack, l);
                yield return new DropoutSpec(dropout, stack.StateName, stack.Modifiers, stack.Location, stack.InterLayerDropout) { Stack = stack.PropertyName, Inputs = reads };
                reads = EquatableArray.Create(new InputReference(dropout, stack.Location));
            }
        }
    }

    private static string LayerName(RecurrentSpec stack, int layer) => $"{stack.PropertyName}_l{layer}";

    private static string DropoutName(RecurrentSpec stack, int layer) => $"{stack.PropertyName}_dropout_l{layer}";

    /// <summary>Why <paramref name="stack"/> cannot be expanded: it shares another layer's parameters, or a node's name is a declared property's.</summary>
    private static DiagnosticInfo? Problem(IReadOnlyList<string> properties, RecurrentSpec stack)
    {
        if (stack.Reuses is { } owner)
        {
            // A use would need every layer's parameters of the owner, but Reuse maps one node to one node.
            return DiagnosticInfo.Create(DiagnosticDescriptors.InvalidReuse, owner.Location ?? stack.Location, stack.PropertyName, owner.Owner, $"'{owner.Owner}' stacks {stack.NumLayers} layers (NumLayers), and a stack's parameters cannot be shared yet; declare another [{stack.Cell}] instead");
        }

        var names = Enumerable.Range(0, stack.NumLayers - 1).SelectMany(l => new[] { LayerName(stack, l), DropoutName(stack, l) });
        return names.FirstOrDefault(properties.Contains) is { } taken
            ? DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRecurrentStack, stack.Location, stack.PropertyName, stack.Cell, $"its layers below the last are named '{LayerName(stack, 0)}', … in the generated code, and '{taken}' is already a property of the network; rename that property")
            : null;
    }
}
