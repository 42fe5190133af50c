using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>What the ops that join tensors (Add, Concat) share: binding the names of their inputs.</summary>
internal static class MergeInputs
{
    /// <summary>The input named by the string argument <paramref name="name"/>, or null after reporting NG0007 at it when it names nothing.</summary>
    public static InputReference? Named(AttributeArguments arguments, string name, string kind, LayerDeclaration declaration, List<DiagnosticInfo> diagnostics)
    {
        if (arguments.Find(name) is { Kind: ArgumentKind.String, Text: { Length: > 0 } text } argument)
        {
            return new InputReference(text, argument.Location);
        }

        diagnostics.Add(Missing(arguments.LocationOf(name), kind, name, declaration));
        return null;
    }

    /// <summary>NG0007: an input of a merge op that is null or empty.</summary>
    public static DiagnosticInfo Missing(LocationInfo? location, string kind, string what, LayerDeclaration declaration) =>
        DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, location, declaration.PropertyName, $"{kind} {what} must name a layer with nameof(Layer), or the network input with LayerAttribute.NetworkInput");
}
