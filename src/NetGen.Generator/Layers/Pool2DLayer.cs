using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>A bound <c>[MaxPool2D(pool, Stride = …)]</c> or <c>[AvgPool2D(pool, Stride = …)]</c>.</summary>
internal sealed record Pool2DSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location, string Kind, int Pool, int Stride)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => Kind;
}

/// <summary>
/// What max and average pooling share: <c>[*, C, H, W] → [*, C, OH, OW]</c> over unpadded
/// <c>pool</c>×<c>pool</c> windows, stride <c>pool</c> unless set; no parameters, no activation. Their
/// backward routes the gradient into the window and applies the producer's activation derivative,
/// since no matrix product follows to carry it.
/// </summary>
internal abstract class Pool2DLayer : UnaryLayerKind
{
    public override LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics)
    {
        var pool = ImageWindows.AtLeast(1, arguments, "pool", 0, Name, declaration, diagnostics);
        if (pool is null)
        {
            return null;
        }

        var stride = ImageWindows.AtLeast(1, arguments, "Stride", pool.Value, Name, declaration, diagnostics);
        return stride is null ? null : new Pool2DSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location, Name, pool.Value, stride.Value);
    }

    public override ShapeResult InferShape(LayerSpec spec, Shape input, string producer)
    {
        var pool = (Pool2DSpec)spec;
        return ImageWindows.Slide(spec, input, producer, "window", input.Rank == 3 ? input[0] : 0, pool.Pool, pool.Stride, 0);
    }

    public override string Describe(LayerSpec spec, Shape input, Shape output)
    {
        var pool = (Pool2DSpec)spec;
        return $"{pool.Pool}×{pool.Pool}" + (pool.Stride == pool.Pool ? string.Empty : $", stride {pool.Stride}");
    }

    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output)
    {
        var pool = (Pool2DSpec)spec;
        return (long)pool.Pool * pool.Pool * output.Size;
    }

    public override string ViewConstruction(CpuLayerContext context) => $"new global::{RuntimeType}(\"{context.Plan.Layer.StateName}\")";

    /// <summary>The statement declaring the pooling window's geometry.</summary>
    protected static string Geometry(CpuLayerContext context)
    {
        var pool = (Pool2DSpec)context.Plan.Layer;
        return Conv2DLayer.Geometry(context.Plan, pool.Pool, pool.Stride, 0);
    }

    /// <summary>How the input gradient ends, for comments: with the producer's derivative or not.</summary>
    protected static string ProducerDerivative(CpuLayerContext context) =>
        context.ProducerActivation == ActivationKind.None ? string.Empty : $" ⊙ {context.ProducerActivation}′";
}
