using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>
/// MaxPool2D: the maximum of each window. Backward sends each output's gradient to its window's
/// first maximum, found again by the forward scan (so no index buffer is planned). Numerics live in
/// the runtime's <c>NetGen.MaxPool2D</c>, or in <c>NetGen.PooledConvolution</c> where the ReLU
/// convolution before computes the pooling in its epilogue (<see cref="PoolFusion"/>).
/// </summary>
internal sealed class MaxPool2DLayer : Pool2DLayer
{
    public override string AttributeMetadataName => "NetGen.MaxPool2DAttribute";

    public override string RuntimeType => "NetGen.MaxPool2D";

    protected override string OnnxOperator => "MaxPool";

    public override void EmitForward(LayerContext context, SourceWriter writer)
    {
        if (Fused(context, writer))
        {
            return;
        }

        writer.Line($"// y{context.Plan.Output.WithBatch} = the maximum of each window of x{context.Plan.Input.WithBatch}");
        writer.Line(Geometry(context));
        writer.Line($"global::NetGen.MaxPool2D.Forward<float>(x: {context.Input}, y: {context.Output}, batch: batch, geometry: geometry);");
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        if (Fused(context, writer))
        {
            return;
        }

        writer.Line($"// dx = dy routed to each window's maximum{context.DerivativeNote()}");
        writer.Line(Geometry(context));
        writer.Line($"global::NetGen.MaxPool2D.Backward<float>(dy: {context.OutputGradient}, x: {context.Input}, dx: {context.InputGradient}, batch: batch, geometry: geometry, previousActivation: {ActivationTable.Of(context.ProducerActivation).Literal}, previousSaved: {context.ProducerSaved});");
    }

    /// <summary>Whether the convolution before computes this pooling in its epilogue (then says so, and there is nothing to emit).</summary>
    private static bool Fused(LayerContext context, SourceWriter writer)
    {
        var convolution = PoolFusion.ConvolutionOf(context.Network, context.Index);
        if (convolution >= 0)
        {
            writer.Line($"// Computed in {context.Network.Layers[convolution].Layer.StateName}'s epilogue, forward and backward (see there why).");
        }

        return convolution >= 0;
    }

    protected override string Kernels => GpuImageKernels.MaxPool;

    public override void EmitDeviceForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var pool = (Pool2DSpec)plan.Layer;
        writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch} = the maximum of each {pool.Pool}×{pool.Pool} window of x{plan.Input.WithBatch}");
        writer.Line($"Launch(\"max_pool\", batch * {plan.Output.Size}, /* x */ {context.Device.Input}, /* y */ {context.Device.Output}, {DeviceGeometry(plan)});");
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

        writer.Line($"// {plan.Layer.StateName}: dx = dy routed to each window's first maximum{context.DerivativeNote()}");
        writer.Line($"Launch(\"max_pool_backward\", batch * {plan.Input.Size}, /* dy */ {device.OutputGradient}, /* x */ {device.Input}, /* dx */ {device.InputGradient}, {DeviceGeometry(plan)});");
        device.EmitProducerDerivative(writer, 0, plan.Input.Size);
    }
}
