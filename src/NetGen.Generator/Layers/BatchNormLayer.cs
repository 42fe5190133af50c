using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>A bound <c>[BatchNorm(activation, Momentum = …, Epsilon = …)]</c>.</summary>
internal sealed record BatchNormSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location, ActivationKind Activation, double Momentum, double Epsilon)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => "BatchNorm";
}

/// <summary>
/// BatchNorm over the features of <c>[F]</c> or the channels of NCHW <c>[C, H, W]</c>, shape
/// unchanged. Parameters <c>weight</c> (γ, ones) and <c>bias</c> (β, zeros); buffers
/// <c>running_mean</c> (zeros) and <c>running_var</c> (ones) in the separate buffer region. Training
/// saves x̂ (per sample, as many floats as the output) and each channel's 1/√(var + ε) in the C
/// floats per sample after it (the batch holds at least one sample, so C floats always fit).
/// Numerics live in the runtime's <c>NetGen.BatchNorm</c>.
/// </summary>
/// <remarks>
/// Inference applies the running statistics as one per-channel affine map fused with the
/// activation, in a single pass over the values, rather than folding them into the preceding
/// Dense or Conv2D. Folding would save that one pass but needs a scratch copy of the producer's
/// weights recomputed whenever parameters or statistics change, a second code path for the
/// producer, and only applies when the producer has no activation; the single pass is exactly
/// the unfolded computation and costs O(activations), small against the producer's product.
/// </remarks>
internal sealed class BatchNormLayer : UnaryLayerKind
{
    public override string AttributeMetadataName => "NetGen.BatchNormAttribute";

    public override string RuntimeType => "NetGen.BatchNorm";

    public override LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics)
    {
        var value = arguments.Int("activation", 0);
        var known = ActivationTable.TryRead(value, out var activation);
        if (!known || !ActivationTable.Of(activation).IsElementwise)
        {
            var name = known ? activation.ToString() : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBatchNormArgument, arguments.LocationOf("activation"), declaration.PropertyName, "activation", $"be elementwise ({ActivationTable.ElementwiseNames()})", name));
            return null;
        }

        var momentum = arguments.Double("Momentum", 0.1);
        if (!(momentum >= 0 && momentum <= 1))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBatchNormArgument, arguments.LocationOf("Momentum"), declaration.PropertyName, "Momentum", "lie in [0, 1]", momentum));
            return null;
        }

        var epsilon = arguments.Double("Epsilon", 1e-5);
        if (!(epsilon > 0 && !double.IsInfinity(epsilon)))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidBatchNormArgument, arguments.LocationOf("Epsilon"), declaration.PropertyName, "Epsilon", "be a finite number > 0", epsilon));
            return null;
        }

        return new BatchNormSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location, activation, momentum, epsilon);
    }

    public override ShapeResult InferShape(LayerSpec spec, Shape input, string producer)
    {
        if (input.Rank is not (1 or 3))
        {
            return ShapeResult.Fail(DiagnosticInfo.Create(DiagnosticDescriptors.InputRankMismatch, spec.Location, spec.PropertyName, "BatchNorm", "a vector [features] or an image [channels, height, width]", producer, input.ToString(), string.Empty));
        }

        return ShapeResult.Ok(input);
    }

    public override IEnumerable<ParameterTensor> Parameters(LayerSpec spec, Shape input, Shape output)
    {
        // γ then β, adjacent: the runtime view finds β right after γ.
        yield return new ParameterTensor(spec.StateName + ".weight", spec.PropertyName + "Weight", 0, Shape.Of(input[0]), InitKind.Ones, 0, 0);
        yield return new ParameterTensor(spec.StateName + ".bias", spec.PropertyName + "Bias", 0, Shape.Of(input[0]), InitKind.Zeros, 0, 0);
    }

    public override IEnumerable<ParameterTensor> Buffers(LayerSpec spec, Shape input, Shape output)
    {
        // running_mean then running_var, adjacent: the runtime view finds the variance right after the mean.
        yield return new ParameterTensor(spec.StateName + ".running_mean", spec.PropertyName + "RunningMean", 0, Shape.Of(input[0]), InitKind.Zeros, 0, 0);
        yield return new ParameterTensor(spec.StateName + ".running_var", spec.PropertyName + "RunningVar", 0, Shape.Of(input[0]), InitKind.Ones, 0, 0);
    }

    public override int SavedPerSample(LayerSpec spec, Shape input, Shape output) => output.Size + input[0];

    // Inference normalises with the running statistics and keeps nothing.
    public override bool SavesOnlyWhileTraining => true;

    public override ActivationKind Activation(LayerSpec spec) => ((BatchNormSpec)spec).Activation;

    public override string Describe(LayerSpec spec, Shape input, Shape output)
    {
        var norm = (BatchNormSpec)spec;
        return $"{input[0]} {(input.Rank == 1 ? "features" : "channels")}" + (norm.Activation == ActivationKind.None ? string.Empty : ", " + norm.Activation);
    }

    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output) => 2L * output.Size;

    public override void EmitForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var norm = (BatchNormSpec)plan.Layer;
        var (channels, spatial) = Geometry(plan.Input);
        var activation = ActivationTable.Of(plan.Activation).Literal;
        writer.Line("if (training)");
        using (writer.Braces())
        {
            writer.Line($"// Batch statistics over batch × {spatial} values per channel; running statistics move by momentum {Literals.Number(norm.Momentum)}; x̂ and 1/√(var + ε) kept for backward");
            writer.Line($"global::NetGen.BatchNorm.ForwardTraining<float>(x: {context.Input}, gamma: {context.Parameter("weight")}, beta: {context.Parameter("bias")}, runningMean: {context.Buffer("running_mean")}, runningVar: {context.Buffer("running_var")}, y: {context.Output}, preActivation: {context.PreActivation}, normalized: {context.SavedPart(0, plan.Output.Size)}, inverseStd: {context.SavedTail(plan.Output.Size, channels)}, batch: batch, channels: {channels}, spatial: {spatial}, momentum: {Literals.Number(norm.Momentum)}, epsilon: {Literals.Number(norm.Epsilon)}, activation: {activation});");
        }

        writer.Line("else");
        using (writer.Braces())
        {
            writer.Line("// Running statistics as one per-channel affine map, fused with the activation in a single pass");
            writer.Line($"global::NetGen.BatchNorm.ForwardInference<float>(x: {context.Input}, gamma: {context.Parameter("weight")}, beta: {context.Parameter("bias")}, runningMean: {context.Buffer("running_mean")}, runningVar: {context.Buffer("running_var")}, y: {context.Output}, preActivation: {context.PreActivation}, batch: batch, channels: {channels}, spatial: {spatial}, epsilon: {Literals.Number(norm.Epsilon)}, activation: {activation});");
        }
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var (channels, spatial) = Geometry(plan.Input);
        writer.Line("// dγ = Σ dz ⊙ x̂, dβ = Σ dz" + $", dx = γ/(N σ) (N dz − Σ dz − x̂ Σ dz ⊙ x̂){(context.ProducerActivation == ActivationKind.None ? string.Empty : $" ⊙ {context.ProducerActivation}′")} in one pass");
        writer.Line($"global::NetGen.BatchNorm.Backward<float>(dz: {context.OutputGradient}, normalized: {context.SavedPart(0, plan.Output.Size)}, inverseStd: {context.SavedTail(plan.Output.Size, channels)}, gamma: {context.Parameter("weight")}, gammaGradient: {context.ParameterGradient("weight")}, betaGradient: {context.ParameterGradient("bias")}, dx: {context.InputGradient}, batch: batch, channels: {channels}, spatial: {spatial}, previousActivation: {ActivationTable.Of(context.ProducerActivation).Literal}, previousSaved: {context.ProducerSaved}{context.AccumulateArgument});");
    }

    public override IEnumerable<string> DeviceKernels(LayerPlan plan) => [GpuBatchNormKernels.Reductions, GpuBatchNormKernels.PerValue(plan.Activation, GpuKernelRenderer.Value(plan.Activation))];

    // On the device the saved region keeps the CPU's layout: x̂ (as many floats as the output), then each
    // channel's 1/√(var + ε); the running statistics live in the device copy of the network's buffers.
    public override void EmitDeviceForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var norm = (BatchNormSpec)plan.Layer;
        var device = context.Device;
        var (channels, spatial) = Geometry(plan.Input);
        var count = $"batch * {plan.Output.Size}";
        var affine = $"/* γ, β */ Parameters, {context.ParameterConstant("weight")}, {context.ParameterConstant("bias")}";
        var running = $"/* running mean, variance */ Buffers, {context.BufferConstant("running_mean")}, {context.BufferConstant("running_var")}";
        var shape = $"/* channels, spatial */ {channels}, {spatial}";
        writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch} = {plan.Activation}(γ x̂ + β) over {channels} channels of {spatial}, batch statistics in training, running statistics in inference");
        writer.Line("if (training)");
        using (writer.Braces())
        {
            writer.Line($"RequireBatchStatistics(\"{plan.Layer.StateName}\", batch, {spatial});");
            writer.Line($"Launch(\"batch_norm_statistics\", {channels}, /* x */ {device.Input}, /* x̂ */ {device.Saved()}, /* 1/σ */ {device.Saved(plan.Output.Size)}, {running}, /* batch */ batch, {shape}, /* momentum, ε */ (float){Literals.Number(norm.Momentum)}, (float){Literals.Number(norm.Epsilon)});");
            writer.Line($"Launch(\"{GpuBatchNormKernels.Affine(plan.Activation)}\", {count}, /* x̂ */ {device.Saved()}, {affine}, /* y */ {device.Output}, /* pre */ {device.PreActivation}, {shape}, /* count */ {count});");
        }

        writer.Line("else");
        using (writer.Braces())
        {
            writer.Line($"Launch(\"{GpuBatchNormKernels.Inference(plan.Activation)}\", {count}, /* x */ {device.Input}, {affine}, {running}, /* ε */ (float){Literals.Number(norm.Epsilon)}, /* y */ {device.Output}, /* pre */ {device.PreActivation}, {shape}, /* count */ {count});");
        }
    }

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var device = context.Device;
        var (channels, spatial) = Geometry(plan.Input);
        var weight = context.ParameterConstant("weight")!;
        var gradients = $"{device.ParameterGradients}, {device.ParameterGradientOffset("weight")}, {device.ParameterGradientOffset("bias")}";
        writer.Line($"// {plan.Layer.StateName}: dγ = Σ dz ⊙ x̂, dβ = Σ dz" + (device.NeedsInputGradient ? $", dx = γ/(N σ) (N dz − Σ dz − x̂ Σ dz ⊙ x̂){context.DerivativeNote()}" : "; the input needs no gradient"));
        writer.Line($"Launch(\"batch_norm_parameter_gradients\", {channels}, /* dz */ {device.OutputGradient}, /* x̂ */ {device.Saved()}, /* dγ, dβ */ {gradients}, /* batch, channels, spatial */ batch, {channels}, {spatial});");
        if (device.NeedsInputGradient)
        {
            writer.Line($"Launch(\"batch_norm_input_gradient\", batch * {plan.Input.Size}, /* dz */ {device.OutputGradient}, /* x̂ */ {device.Saved()}, /* 1/σ */ {device.Saved(plan.Output.Size)}, /* γ */ Parameters, {weight}, /* dγ, dβ */ {gradients}, /* dx */ {device.InputGradient}, /* batch, channels, spatial */ batch, {channels}, {spatial});");
            device.EmitProducerDerivative(writer, 0, plan.Input.Size);
        }
    }

    public override bool EmitOnnx(OnnxNodeContext context, SourceWriter writer)
    {
        var norm = (BatchNormSpec)context.Plan.Layer;
        // Inference form, as Forward: the running statistics. ONNX's momentum weighs the old running value, NetGen's the new statistic.
        var inputs = OnnxNodeContext.Names(context.Input, context.Tensor("weight"), context.Tensor("bias"), context.Tensor("running_mean"), context.Tensor("running_var"));
        writer.Line(context.Node("BatchNormalization", inputs, floats: $"[(\"epsilon\", {OnnxNodeContext.Float(norm.Epsilon)}), (\"momentum\", {OnnxNodeContext.Float(1 - norm.Momentum)})]"));
        return true;
    }

    public override string ViewConstruction(LayerContext context) =>
        $"new global::NetGen.BatchNorm(name: \"{context.Plan.Layer.StateName}\", parameters: _parameters, gradients: {context.GradientBuffer}, buffers: _buffers, weightOffset: {context.ParameterConstant("weight")}, runningMeanOffset: {context.BufferConstant("running_mean")}, channels: {context.Plan.Input[0]})";

    /// <summary>Channels and values per channel per sample: <c>[F]</c> is F channels of 1, <c>[C, H, W]</c> is C of H·W.</summary>
    private static (int Channels, int Spatial) Geometry(Shape input) => (input[0], input.Size / input[0]);

}
