using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// AvgPool2D: the mean of each window, over its whole area or, without <c>CountIncludePad</c>, over
/// its pixels on the image. Backward spreads each output's gradient evenly over the window's
/// pixels. Numerics live in the runtime's <c>NetGen.AvgPool2D</c>.
/// </summary>
internal sealed class AvgPool2DLayer : Pool2DLayer
{
    public override string AttributeMetadataName => "NetGen.AvgPool2DAttribute";

    public override string RuntimeType => "NetGen.AvgPool2D";

    protected override string OnnxOperator => "AveragePool";

    protected override string? OnnxInts(Pool2DSpec pool) => $"[(\"count_include_pad\", {(pool.CountIncludePad ? 1 : 0)})]";

    public override void EmitForward(LayerContext context, SourceWriter writer)
    {
        writer.Line($"// y{context.Plan.Output.WithBatch} = the mean of each window of x{context.Plan.Input.WithBatch}{Divisor(context)}");
        writer.Line(Geometry(context));
        writer.Line($"global::NetGen.AvgPool2D.Forward<float>(x: {context.Input}, y: {context.Output}, batch: batch, geometry: geometry, countIncludePad: {CountIncludePad(context)});");
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        writer.Line($"// dx = dy spread evenly over each window{context.DerivativeNote()}");
        writer.Line(Geometry(context));
        writer.Line($"global::NetGen.AvgPool2D.Backward<float>(dy: {context.OutputGradient}, dx: {context.InputGradient}, batch: batch, geometry: geometry, countIncludePad: {CountIncludePad(context)}, previousActivation: {ActivationTable.Of(context.ProducerActivation).Literal}, previousSaved: {context.ProducerSaved});");
    }

    private static string CountIncludePad(LayerContext context) => ((Pool2DSpec)context.Plan.Layer).CountIncludePad ? "true" : "false";

    /// <summary>What the mean divides by, for the comment, where padding makes it a question.</summary>
    private static string Divisor(LayerContext context)
    {
        var pool = (Pool2DSpec)context.Plan.Layer;
        return pool.Padding == default ? string.Empty : pool.CountIncludePad ? $", padding {pool.Padding} counted" : $", over its pixels on the image (padding {pool.Padding} not counted)";
    }

    protected override string Kernels => GpuImageKernels.AvgPool;

    public override void EmitDeviceForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var pool = (Pool2DSpec)plan.Layer;
        writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch} = the mean of each {pool.Pool}×{pool.Pool} window of x{plan.Input.WithBatch}{Divisor(context)}");
        writer.Line($"Launch(\"avg_pool\", batch * {plan.Output.Size}, /* x */ {context.Device.Input}, /* y */ {context.Device.Output}, {DeviceGeometry(plan)}, /* countIncludePad */ {(pool.CountIncludePad ? 1 : 0)});");
    }

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var device = context.Device;
        if (!device.NeedsInputGradient)
        {
            writer.Line($"// {plan.Layer.StateName}: no work; the input needs no gradient and pooling has no parameters.");
            return;
        }

        writer.Line($"// {plan.Layer.StateName}: dx = dy spread evenly over each window{context.DerivativeNote()}");
        writer.Line($"Launch(\"avg_pool_backward\", batch * {plan.Input.Size}, /* dy */ {device.OutputGradient}, /* dx */ {device.InputGradient}, {DeviceGeometry(plan)}, /* countIncludePad */ {(((Pool2DSpec)plan.Layer).CountIncludePad ? 1 : 0)});");
        device.EmitProducerDerivative(writer, 0, plan.Input.Size);
    }
}
