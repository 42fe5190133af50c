using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// MaxPool2D: the maximum of each window. Backward sends each output's gradient to its window's
/// first maximum, found again by the forward scan (so no index buffer is planned). Numerics live in
/// the runtime's <c>NetGen.MaxPool2D</c>.
/// </summary>
internal sealed class MaxPool2DLayer : Pool2DLayer
{
    public override string AttributeMetadataName => "NetGen.MaxPool2DAttribute";

    public override string RuntimeType => "NetGen.MaxPool2D";

    public override void EmitForward(CpuLayerContext context, SourceWriter writer)
    {
        writer.Line($"// y{context.Plan.Output.WithBatch} = the maximum of each window of x{context.Plan.Input.WithBatch}");
        writer.Line(Geometry(context));
        writer.Line($"global::NetGen.MaxPool2D.Forward<float>({context.Input}, {context.Output}, batch, geometry);");
    }

    public override void EmitBackward(CpuLayerContext context, SourceWriter writer)
    {

        writer.Line($"// dx = dy routed to each window's maximum{ProducerDerivative(context)}");
        writer.Line(Geometry(context));
        writer.Line($"global::NetGen.MaxPool2D.Backward<float>({context.OutputGradient}, {context.Input}, {context.InputGradient}, batch, geometry, {ActivationTable.Of(context.ProducerActivation).Literal}, {context.ProducerSaved});");
    }
}
