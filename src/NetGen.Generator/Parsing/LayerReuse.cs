using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;

namespace NetGen.Generator.Parsing;

/// <summary>
/// A <c>[Reuse(nameof(Owner))]</c> property before the owner is known: its name, what it reads and what
/// its declaration says, kept until every layer is parsed (the owner may be declared after it).
/// </summary>
/// <param name="Owner">The layer it names, and the argument naming it.</param>
/// <param name="PropertyType">The property's declared type, e.g. <c>NetGen.Dense</c>, checked against the owner's kind.</param>
/// <param name="PropertyTypeDisplay">The same type as the user wrote it, for the message.</param>
/// <param name="PropertyTypeLocation">The property's type syntax, where a mismatch is reported.</param>
internal sealed record PendingReuseSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location, ReuseReference Owner, string PropertyType, string PropertyTypeDisplay, LocationInfo? PropertyTypeLocation)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => "Reuse";
}

/// <summary>
/// Turns each <see cref="PendingReuseSpec"/> into the owner's spec, renamed and reading its own inputs,
/// with <see cref="LayerSpec.Reuses"/> naming the owner: from there on a use is planned and emitted as
/// the owner's kind, and only parameter placement (the planner) tells it apart. Reports a name that is
/// no layer, a reuse of a reuse or of a join (Add, Concat), [Frozen] on a use (NG0025) and a property whose type is not the owner's
/// kind (NG0006). Whether the owner has parameters, and whether the new input fits them, needs shapes:
/// <c>Analysis.ParameterSharing</c> checks that.
/// </summary>
internal static class LayerReuse
{
    public const string AttributeName = "NetGen.ReuseAttribute";

    public static List<LayerSpec> Resolve(string network, IReadOnlyList<string> properties, List<LayerSpec> layers, List<DiagnosticInfo> diagnostics)
    {
        var byName = layers.ToDictionary(l => l.PropertyName, StringComparer.Ordinal);
        var resolved = new List<LayerSpec>();
        foreach (var layer in layers)
        {
            if (layer is not PendingReuseSpec use)
            {
                resolved.Add(layer);
            }
            else if (Owner(network, properties, use, byName, diagnostics) is { } owner)
            {
                resolved.Add(owner with
                {
                    PropertyName = use.PropertyName,
                    StateName = use.StateName,
                    Modifiers = use.Modifiers,
                    Location = use.Location,
                    Inputs = use.Inputs,
                    Reuses = use.Owner,
                    FrozenLocation = null,
                });
            }
        }

        return resolved;
    }

    /// <summary>The owner's spec, or null after reporting why <paramref name="use"/> cannot share its parameters.</summary>
    private static LayerSpec? Owner(string network, IReadOnlyList<string> properties, PendingReuseSpec use, Dictionary<string, LayerSpec> byName, List<DiagnosticInfo> diagnostics)
    {
        var name = use.Owner.Owner;
        var location = use.Owner.Location ?? use.Location;
        if (!byName.TryGetValue(name, out var owner))
        {
            // A property that failed to parse already has its own error.
            if (!properties.Contains(name))
            {
                var near = properties.FirstOrDefault(p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase));
                var hint = near is not null ? $"; did you mean '{near}'? Names are case-sensitive; write nameof({near})" : "; name a layer of the network with nameof(Layer)";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidReuse, location, use.PropertyName, name, $"'{name}' is no layer of network '{network}'{hint}"));
            }

            return null;
        }

        if (owner is PendingReuseSpec ownerUse)
        {
            var problem = name == use.PropertyName
                ? "a layer cannot reuse itself; name the layer whose parameters it applies"
                : $"'{name}' is itself a reuse of '{ownerUse.Owner.Owner}'; name the layer that owns the parameters: nameof({ownerUse.Owner.Owner})";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidReuse, location, use.PropertyName, name, problem));
            return null;
        }

        if (use.Frozen)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidReuse, use.FrozenLocation ?? location, use.PropertyName, name, $"it shares '{name}''s parameters, so it is frozen exactly when '{name}' is; put [Frozen] on '{name}' and remove it here"));
            return null;
        }

        var kind = LayerKinds.For(owner);
        if (kind.NamesItsInputs)
        {
            // A join has no parameters, and its shape rule needs the inputs it names: stop here, not at the shapes.
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidReuse, location, use.PropertyName, name, NoParameters(kind)));
            return null;
        }

        if (use.PropertyType != kind.RuntimeType)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayerTypeMismatch, use.PropertyTypeLocation ?? use.Location, use.PropertyName, $"Reuse(nameof({name}))", use.PropertyTypeDisplay, kind.Name));
            return null;
        }

        return owner;
    }

    /// <summary>Why a layer of <paramref name="kind"/> cannot be reused, as NG0025 says it.</summary>
    public static string NoParameters(LayerKind kind) => $"a {kind.Name} layer has no parameters to share; declare another [{kind.Name}] instead";
}
