using System;
using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Layers;

/// <summary>
/// The op table: every <see cref="LayerKind"/> in this assembly, keyed by attribute metadata name. Found by
/// reflection, so a new op is its own file and no list to extend; ordered by name so the table (and
/// whatever iterates it) is the same on every run.
/// </summary>
internal static class LayerKinds
{
    public static readonly IReadOnlyList<LayerKind> All = typeof(LayerKind).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(LayerKind).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .Select(t => (LayerKind)Activator.CreateInstance(t)!)
        .ToList();

    private static readonly Dictionary<string, LayerKind> ByAttribute = All.ToDictionary(k => k.AttributeMetadataName);

    private static readonly Dictionary<string, LayerKind> ByName = All.ToDictionary(k => k.Name);

    public static LayerKind? ForAttribute(string metadataName) => ByAttribute.TryGetValue(metadataName, out var kind) ? kind : null;

    public static LayerKind For(Model.LayerSpec spec) => ByName[spec.KindName];
}
