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

    public override void EmitForward(CpuLayerContext context, SourceWriter writer)
    {
        writer.Line($"// y{context.Plan.Output.WithBatch} = the mean of each window of x{context.Plan.Input.WithBatch}{Divisor(context)}");
        writer.Line(Geometry(context));
        writer.Line($"global::NetGen.AvgPool2D.Forward<float>({context.Input}, {context.Output}, batch, geometry, countIncludePad: {CountIncludePad(context)});");
    }

    public override void EmitBackward(CpuLayerContext context, SourceWriter writer)
    {

        writer.Line($"// dx = dy spread evenly over each window{ProducerDerivative(context)}");
        writer.Line(Geometry(context));
        writer.Line($"global::NetGen.AvgPool2D.Backward<float>({context.OutputGradient}, {context.InputGradient}, batch, geometry, countIncludePad: {CountIncludePad(context)}, {ActivationTable.Of(context.ProducerActivation).Literal}, {context.ProducerSaved});");
    }

    private static string CountIncludePad(CpuLayerContext context) => ((Pool2DSpec)context.Plan.Layer).CountIncludePad ? "true" : "false";

    /// <summary>What the mean divides by, for the comment, where padding makes it a question.</summary>
    private static string Divisor(CpuLayerContext context)
    {
        var pool = (Pool2DSpec)context.Plan.Layer;
        return pool.Padding == default ? string.Empty : pool.CountIncludePad ? $", padding {pool.Padding} counted" : $", over its pixels on the image (padding {pool.Padding} not counted)";
    }
}
