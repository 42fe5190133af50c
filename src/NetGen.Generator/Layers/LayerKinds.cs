using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Layers;

/// <summary>The table of layer kinds NetGen knows, keyed by attribute metadata name.</summary>
internal static class LayerKinds
{
    public static readonly IReadOnlyList<LayerKind> All = new LayerKind[]
    {
        new DenseLayer(),
        new FlattenLayer(),
        new Conv2DLayer(),
        new MaxPool2DLayer(),
        new AvgPool2DLayer(),
        new GlobalAveragePool2DLayer(),
        new DropoutLayer(),
        new BatchNormLayer(),
        new AddLayer(),
        new ConcatLayer(),
        new IdentityLayer(),
    };

    private static readonly Dictionary<string, LayerKind> ByAttribute = All.ToDictionary(k => k.AttributeMetadataName);

    private static readonly Dictionary<string, LayerKind> ByName = All.ToDictionary(k => k.Name);

    public static LayerKind? ForAttribute(string metadataName) => ByAttribute.TryGetValue(metadataName, out var kind) ? kind : null;

    public static LayerKind For(Model.LayerSpec spec) => ByName[spec.KindName];
}
