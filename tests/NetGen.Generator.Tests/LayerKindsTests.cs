using System.Linq;
using NetGen.Generator.Layers;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>The op table, found by reflection, matches the public layer attributes and runtime views one to one.</summary>
public sealed class LayerKindsTests
{
    [Fact]
    public void EveryLayerAttributeHasExactlyOneOp()
    {
        var attributes = typeof(LayerAttribute).Assembly.GetTypes()
            // [Reuse] applies another layer's op and parameters: it is no op of its own.
            .Where(t => !t.IsAbstract && typeof(LayerAttribute).IsAssignableFrom(t) && t != typeof(ReuseAttribute))
            .Select(t => t.FullName!)
            .OrderBy(n => n, System.StringComparer.Ordinal);

        Assert.Equal(attributes, LayerKinds.All.Select(k => k.AttributeMetadataName).OrderBy(n => n, System.StringComparer.Ordinal));
    }

    [Fact]
    public void EveryOpNamesARuntimeViewType()
    {
        Assert.All(LayerKinds.All, kind => Assert.True(typeof(INetwork).Assembly.GetType(kind.RuntimeType) is { } view && typeof(Layer).IsAssignableFrom(view), $"{kind.Name}: {kind.RuntimeType} is not a Layer in NetGen.Runtime"));
    }
}
