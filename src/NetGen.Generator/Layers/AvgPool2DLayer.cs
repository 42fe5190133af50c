using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// AvgPool2D: the mean of each window. Backward spreads each output's gradient evenly over its
/// window. Numerics live in the runtime's <c>NetGen.AvgPool2D</c>.
/// </summary>
internal sealed class AvgPool2DLayer : Pool2DLayer
{
    public override string AttributeMetadataName => "NetGen.AvgPool2DAttribute";

    public override string RuntimeType => "NetGen.AvgPool2D";

    public override void EmitForward(CpuLayerContext context, SourceWriter writer)
    {
        writer.Line($"// y{context.Plan.Output.WithBatch} = the mean of each window of x{context.Plan.Input.WithBatch}");
        writer.Line(Geometry(context));
        writer.Line($"global::NetGen.AvgPool2D.Forward<float>({context.Input}, {context.Output}, batch, geometry);");
    }

    public override void EmitBackward(CpuLayerContext context, SourceWriter writer)
    {

        writer.Line($"// dx = dy spread evenly over each window{ProducerDerivative(context)}");
        writer.Line(Geometry(context));
        writer.Line($"global::NetGen.AvgPool2D.Backward<float>({context.OutputGradient}, {context.InputGradient}, batch, geometry, {ActivationTable.Of(context.ProducerActivation).Literal}, {context.ProducerSaved});");
    }
}
