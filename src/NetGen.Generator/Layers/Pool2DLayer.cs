using System.Collections.Generic;
using System.Globalization;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// A bound <c>[MaxPool2D(pool, Stride = …, PaddingSize = … or Pads = …)]</c> or the same of
/// <c>[AvgPool2D(…, CountIncludePad = …)]</c>; <see cref="CountIncludePad"/> is true for MaxPool2D, which has no divisor.
/// </summary>
internal sealed record Pool2DSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location, string Kind, int Pool, int Stride, WindowPads Padding, bool CountIncludePad)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => Kind;
}

/// <summary>
/// What max and average pooling share: <c>[*, C, H, W] → [*, C, OH, OW]</c> over
/// <c>pool</c>×<c>pool</c> windows, stride <c>pool</c> unless set, padded by less than the window on
/// each side (so every window holds a pixel); no parameters, no activation. Their
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
        var padding = ImageWindows.Pads(arguments, Name, declaration, diagnostics, ["PaddingSize"], () => default(WindowPads));
        if (stride is null || padding is null)
        {
            return null;
        }

        if (padding.Value.Widest >= pool.Value)
        {
            var (argument, given) = arguments.Find("Pads") is { Kind: ArgumentKind.IntArray } ? ("Pads", padding.Value.List) : ("PaddingSize", padding.Value.Top.ToString(CultureInfo.InvariantCulture));
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.LocationOf(argument), declaration.PropertyName, $"{Name} padding must be smaller than the {pool.Value}×{pool.Value} window on every side, or a window would hold no pixel; got {argument} {given}"));
            return null;
        }

        return new Pool2DSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location, Name, pool.Value, stride.Value, padding.Value, arguments.Bool("CountIncludePad", true));
    }

    public override ShapeResult InferShape(LayerSpec spec, Shape input, string producer)
    {
        var pool = (Pool2DSpec)spec;
        return ImageWindows.Slide(spec, input, producer, "window", input.Rank == 3 ? input[0] : 0, pool.Pool, pool.Stride, pool.Padding);
    }

    public override string Describe(LayerSpec spec, Shape input, Shape output)
    {
        var pool = (Pool2DSpec)spec;
        return $"{pool.Pool}×{pool.Pool}"
            + (pool.Stride == pool.Pool ? string.Empty : $", stride {pool.Stride}")
            + (pool.Padding == default ? string.Empty : $", padding {pool.Padding}")
            + (pool.CountIncludePad || pool.Padding == default ? string.Empty : ", padding not counted");
    }

    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output)
    {
        var pool = (Pool2DSpec)spec;
        return (long)pool.Pool * pool.Pool * output.Size;
    }

    /// <summary>The ONNX operator of the pool, e.g. <c>MaxPool</c>.</summary>
    protected abstract string OnnxOperator { get; }

    /// <summary>The operator's integer attributes beyond the window's, as a C# tuple-array literal, or null.</summary>
    protected virtual string? OnnxInts(Pool2DSpec pool) => null;

    public override bool EmitOnnx(OnnxNodeContext context, SourceWriter writer)
    {
        var pool = (Pool2DSpec)context.Plan.Layer;
        var window = $"[(\"kernel_shape\", [{pool.Pool}, {pool.Pool}]), (\"strides\", [{pool.Stride}, {pool.Stride}]), (\"pads\", {pool.Padding.List})]";
        writer.Line(context.Node(OnnxOperator, OnnxNodeContext.Names(context.Input), ints: OnnxInts(pool), intLists: window));
        return true;
    }

    public override string ViewConstruction(LayerContext context) => $"new global::{RuntimeType}(name: \"{context.Plan.Layer.StateName}\")";

    /// <summary>The statement declaring the pooling window's geometry.</summary>
    protected static string Geometry(LayerContext context)
    {
        var pool = (Pool2DSpec)context.Plan.Layer;
        return Conv2DLayer.Geometry(context.Plan, pool.Pool, pool.Stride, pool.Padding);
    }

    /// <summary>
    /// The pooling geometry as device kernel arguments: images (batch · channels), height, width,
    /// window, stride, padTop, padLeft, outHeight, outWidth (the bottom and right padding are in the
    /// output size).
    /// </summary>
    protected static string DeviceGeometry(LayerPlan plan)
    {
        var pool = (Pool2DSpec)plan.Layer;
        return $"/* images, height, width */ batch * {plan.Input[0]}, {plan.Input[1]}, {plan.Input[2]}, /* window, stride, padTop, padLeft */ {pool.Pool}, {pool.Stride}, {pool.Padding.Top}, {pool.Padding.Left}, /* outHeight, outWidth */ {plan.Output[1]}, {plan.Output[2]}";
    }

    public sealed override IEnumerable<string> DeviceKernels(LayerPlan plan) => [GpuImageKernels.PoolHelpers, Kernels];

    /// <summary>The kind's forward and backward kernels.</summary>
    protected abstract string Kernels { get; }
}
