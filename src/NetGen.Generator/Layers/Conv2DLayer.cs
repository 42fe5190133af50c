using System.Collections.Generic;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>Mirror of <c>NetGen.Padding</c> (same names and values; a test keeps them in step).</summary>
internal enum PaddingKind
{
    Valid,
    Same,
}

/// <summary>A bound <c>[Conv2D(filters, kernel, activation, Stride = …, Padding = … or PaddingSize = … or Pads = …, Bias = …, Algorithm = …)]</c>, padding resolved to its four sides.</summary>
internal sealed record Conv2DSpec(string PropertyName, string StateName, string Modifiers, LocationInfo? Location, int Filters, int Kernel, int Stride, WindowPads Padding, ActivationKind Activation, bool HasBias, ConvolutionAlgorithmKind Algorithm)
    : LayerSpec(PropertyName, StateName, Modifiers, Location)
{
    public override string KindName => "Conv2D";
}

/// <summary>
/// Conv2D: <c>[*, C, H, W] → [*, F, OH, OW]</c>, weight <c>[F, C, k, k]</c> (PyTorch layout), bias
/// <c>[F]</c>. Forward is, per chunk of samples, im2col and one matrix product with bias and activation
/// in its epilogue; backward is the weight-gradient product over the recomputed columns, the bias
/// sums, and <c>col2im(Wᵀ · dz)</c> with the producer's activation derivative. Numerics live in the
/// runtime's <c>NetGen.Conv2D</c>.
/// </summary>
internal sealed class Conv2DLayer : UnaryLayerKind
{
    public override string AttributeMetadataName => "NetGen.Conv2DAttribute";

    public override string RuntimeType => "NetGen.Conv2D";

    public override LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics)
    {
        var filters = ImageWindows.AtLeast(1, arguments, "filters", 0, "Conv2D", declaration, diagnostics);
        var kernel = ImageWindows.AtLeast(1, arguments, "kernel", 0, "Conv2D", declaration, diagnostics);
        var stride = ImageWindows.AtLeast(1, arguments, "Stride", 1, "Conv2D", declaration, diagnostics);
        if (filters is null || kernel is null || stride is null)
        {
            return null;
        }

        var value = arguments.Int("activation", 0);
        var known = ActivationTable.TryRead(value, out var activation);
        if (!known || !ActivationTable.Of(activation).IsElementwise)
        {
            var why = known
                ? $"Conv2D activation must be elementwise; {activation} over an image is not supported"
                : $"{value} is not an Activation value";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.LocationOf("activation"), declaration.PropertyName, why));
            return null;
        }

        var padding = ImageWindows.Pads(arguments, "Conv2D", declaration, diagnostics, ["PaddingSize", "Padding"], () => PaddingRule(declaration, arguments, kernel.Value, diagnostics));
        var algorithm = padding is null ? null : ConvolutionChoice.Bind(arguments, declaration, kernel.Value, stride.Value, padding.Value, diagnostics);
        return padding is null || algorithm is null
            ? null
            : new Conv2DSpec(declaration.PropertyName, declaration.StateName, declaration.Modifiers, declaration.Location, filters.Value, kernel.Value, stride.Value, padding.Value, activation, arguments.Bool("Bias", true), algorithm.Value);
    }

    public override ShapeResult InferShape(LayerSpec spec, Shape input, string producer)
    {
        var conv = (Conv2DSpec)spec;
        return ImageWindows.Slide(spec, input, producer, "kernel", conv.Filters, conv.Kernel, conv.Stride, conv.Padding);
    }

    public override IEnumerable<ParameterTensor> Parameters(LayerSpec spec, Shape input, Shape output)
    {
        var conv = (Conv2DSpec)spec;
        var area = conv.Kernel * conv.Kernel;
        var init = ActivationTable.Of(conv.Activation).WeightInit;
        yield return new ParameterTensor(spec.StateName + ".weight", spec.PropertyName + "Weight", 0, Shape.Of(conv.Filters, input[0], conv.Kernel, conv.Kernel), init, input[0] * area, conv.Filters * area);
        if (conv.HasBias)
        {
            yield return new ParameterTensor(spec.StateName + ".bias", spec.PropertyName + "Bias", 0, Shape.Of(conv.Filters), InitKind.Zeros, input[0] * area, conv.Filters * area);
        }
    }

    public override ActivationKind Activation(LayerSpec spec) => ((Conv2DSpec)spec).Activation;

    public override string Describe(LayerSpec spec, Shape input, Shape output)
    {
        var conv = (Conv2DSpec)spec;
        return $"{conv.Filters} × {conv.Kernel}×{conv.Kernel}"
            + (conv.Stride == 1 ? string.Empty : $", stride {conv.Stride}")
            + (conv.Padding == default ? string.Empty : $", padding {conv.Padding}")
            + (conv.Activation == ActivationKind.None ? string.Empty : ", " + conv.Activation)
            + (conv.HasBias ? string.Empty : ", no bias");
    }

    /// <summary>The layer and the algorithm it runs, its fused max pooling counted (Winograd under a pooling Auto picks for it).</summary>
    public override string DescribeOnCpu(NetworkPlan network, int node) =>
        base.DescribeOnCpu(network, node) + ConvolutionChoice.InPlan(network, node).Algorithm switch
        {
            ConvolutionAlgorithmKind.Winograd => ", Winograd F(2×2, 3×3)",
            ConvolutionAlgorithmKind.Direct => ", direct",
            ConvolutionAlgorithmKind.Auto or ConvolutionAlgorithmKind.Im2Col => string.Empty,
        };

    public override long ForwardFlops(LayerSpec spec, Shape input, Shape output)
    {
        var conv = (Conv2DSpec)spec;
        return ((2L * input[0] * conv.Kernel * conv.Kernel) + (conv.HasBias ? 1 : 0)) * output.Size;
    }

    public override void EmitForward(LayerContext context, SourceWriter writer)
    {
        if (PoolFusion.PoolOf(context.Network, context.Index) is var pool and >= 0)
        {
            PooledConvolutionEmitter.EmitForward(context, pool, writer);
            return;
        }

        var plan = context.Plan;
        var conv = (Conv2DSpec)plan.Layer;
        var affine = $"weight[{conv.Filters}, {plan.Input[0]}, {conv.Kernel}, {conv.Kernel}] ⊛ x{plan.Input.WithBatch}" + (conv.HasBias ? " + bias" : string.Empty);
        var formula = plan.Activation == ActivationKind.None ? affine : $"{plan.Activation}({affine})";
        writer.Line($"// y{plan.Output.WithBatch} = {formula}");
        var patches = $"[{plan.Input[0] * conv.Kernel * conv.Kernel}, {plan.Output[1] * plan.Output[2]}]";
        var fused = (conv.HasBias, plan.Activation != ActivationKind.None) switch
        {
            (true, true) => ", bias and activation fused into its epilogue",
            (true, false) => ", bias fused into its epilogue",
            (false, true) => ", activation fused into its epilogue",
            (false, false) => string.Empty,
        };
        var choice = ConvolutionChoice.For(conv, plan.Input[0]);
        writer.Line($"// Algorithm: {AlgorithmName(choice.Algorithm)} ({choice.Reason}).");
        writer.Line(choice.Algorithm switch
        {
            ConvolutionAlgorithmKind.Winograd => $"// In chunks of samples: each 4×4 input tile transformed, 16 products [{conv.Filters}, {plan.Input[0]}] · [{plan.Input[0]}, tiles], each 2×2 output tile transformed back with the bias; then the activation.",
            ConvolutionAlgorithmKind.Auto or ConvolutionAlgorithmKind.Im2Col => $"// In chunks of samples: im2col to {patches} columns per sample, side by side, then one product per chunk{fused}.",
            ConvolutionAlgorithmKind.Direct => $"// Sample by sample: each of the {plan.Input[0] * conv.Kernel * conv.Kernel} taps one load of x at a fixed offset, the {conv.Filters} filters 8 at a time × 48 pixels accumulated in registers{fused}.",
        });
        writer.Line(Geometry(plan, conv.Kernel, conv.Stride, conv.Padding));
        writer.Line($"global::{RuntimeClass(choice.Algorithm)}.Forward<float>(x: {context.Input}, weight: {context.Parameter("weight")}, bias: {context.Parameter("bias")}, y: {context.Output}, preActivation: {context.PreActivation}, batch: batch, geometry: geometry, filters: {conv.Filters}, activation: {ActivationTable.Of(plan.Activation).Literal}{AlgorithmArgument(choice.Algorithm)});");
    }

    public override void EmitBackward(LayerContext context, SourceWriter writer)
    {
        if (PoolFusion.PoolOf(context.Network, context.Index) is var pool and >= 0)
        {
            PooledConvolutionEmitter.EmitBackward(context, pool, writer);
            return;
        }

        var plan = context.Plan;
        var conv = (Conv2DSpec)plan.Layer;
        var derivative = context.ProducerActivation == ActivationKind.None ? string.Empty : $" ⊙ {context.ProducerActivation}′";
        var choice = ConvolutionChoice.For(conv, plan.Input[0]);
        var inputGradient = choice.Algorithm switch
        {
            ConvolutionAlgorithmKind.Winograd => "dz ⊛ rot180(weight)ᵀ by Winograd F(2×2, 3×3)",
            ConvolutionAlgorithmKind.Auto or ConvolutionAlgorithmKind.Im2Col or ConvolutionAlgorithmKind.Direct => "col2im(weightᵀ · dz)",
        };
        writer.Line("// dweight = Σ_samples dz · im2col(x)ᵀ" + (conv.HasBias ? ", dbias = Σ dz" : string.Empty) + $", dx = {inputGradient}{derivative}");
        writer.Line(Geometry(plan, conv.Kernel, conv.Stride, conv.Padding));
        writer.Line($"global::{RuntimeClass(choice.Algorithm)}.Backward<float>(dz: {context.OutputGradient}, x: {context.Input}, weight: {context.Parameter("weight")}, weightGradient: {context.ParameterGradient("weight")}, biasGradient: {context.ParameterGradient("bias")}, dx: {context.InputGradient}, batch: batch, geometry: geometry, filters: {conv.Filters}, previousActivation: {ActivationTable.Of(context.ProducerActivation).Literal}, previousSaved: {context.ProducerSaved}{context.AccumulateArgument}{AlgorithmArgument(choice.Algorithm)});");
    }

    public override IEnumerable<string> DeviceKernels(LayerPlan plan) =>
    [
        GpuImageKernels.ConvHelpers, GpuImageKernels.WeightGradient, GpuImageKernels.InputGradient, GpuImageKernels.ChannelSum,
        GpuImageKernels.ConvForwardKernel(plan.Activation, GpuKernelRenderer.Value(plan.Activation)),
    ];

    public override void EmitDeviceForward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var conv = (Conv2DSpec)plan.Layer;
        var bias = context.ParameterConstant("bias");
        var affine = $"weight[{conv.Filters}, {plan.Input[0]}, {conv.Kernel}, {conv.Kernel}] ⊛ x{plan.Input.WithBatch}{(conv.HasBias ? " + bias" : string.Empty)}";
        writer.Line($"// {plan.Layer.StateName}: y{plan.Output.WithBatch} = {plan.Activation}({affine}), im2col inside the tile loads, bias and activation as it stores");
        writer.Line($"Tiled(\"{GpuImageKernels.ConvForward(plan.Activation)}\", {conv.Filters}, batch * {OutputPlane(plan)}, {Patch(plan)}, /* weight */ Parameters, {context.ParameterConstant("weight")}, /* x */ {context.Device.Input}, {DeviceGeometry(plan)}, /* bias */ Parameters, {bias ?? "0"}, {(bias is null ? 0 : 1)}, /* y */ {context.Device.Output}, /* pre */ {context.Device.PreActivation});");
    }

    public override void EmitDeviceBackward(LayerContext context, SourceWriter writer)
    {
        var plan = context.Plan;
        var conv = (Conv2DSpec)plan.Layer;
        var device = context.Device;
        writer.Line($"// {plan.Layer.StateName}: dweight = Σ dz · im2col(x)ᵀ{(conv.HasBias ? ", dbias = Σ dz" : string.Empty)}" + (device.NeedsInputGradient ? $", dx = col2im(weightᵀ · dz){context.DerivativeNote()}" : "; the input needs no gradient"));
        writer.Line($"Tiled(\"conv_weight_gradient\", {conv.Filters}, {Patch(plan)}, batch * {OutputPlane(plan)}, /* dz */ {device.OutputGradient}, /* x */ {device.Input}, {DeviceGeometry(plan)}, /* dweight */ {device.ParameterGradients}, {device.ParameterGradientOffset("weight")});");
        if (context.ParameterConstant("bias") is not null)
        {
            writer.Line($"Launch(\"channel_sum\", {conv.Filters}, /* dz */ {device.OutputGradient}, /* batch, channels, plane */ batch, {conv.Filters}, {OutputPlane(plan)}, /* dbias */ {device.ParameterGradients}, {device.ParameterGradientOffset("bias")});");
        }

        if (device.NeedsInputGradient)
        {
            writer.Line($"Tiled(\"conv_input_gradient\", {plan.Input[0]}, batch * {plan.Input[1] * plan.Input[2]}, {conv.Filters * conv.Kernel * conv.Kernel}, /* weight */ Parameters, {context.ParameterConstant("weight")}, /* dz */ {device.OutputGradient}, /* filters */ {conv.Filters}, {DeviceGeometry(plan)}, /* dx */ {device.InputGradient});");
            device.EmitProducerDerivative(writer, 0, plan.Input.Size);
        }
    }

    /// <summary>The runtime class whose Forward/Backward pair computes <paramref name="algorithm"/> (Auto is resolved before this).</summary>
    private static string RuntimeClass(ConvolutionAlgorithmKind algorithm) => algorithm switch
    {
        ConvolutionAlgorithmKind.Winograd => "NetGen.WinogradConvolution",
        ConvolutionAlgorithmKind.Auto or ConvolutionAlgorithmKind.Im2Col or ConvolutionAlgorithmKind.Direct => "NetGen.Conv2D",
    };

    private static string AlgorithmName(ConvolutionAlgorithmKind algorithm) => algorithm switch
    {
        ConvolutionAlgorithmKind.Winograd => "Winograd F(2×2, 3×3)",
        ConvolutionAlgorithmKind.Direct => "direct convolution",
        ConvolutionAlgorithmKind.Auto or ConvolutionAlgorithmKind.Im2Col => "im2col + GEMM",
    };

    /// <summary>The <c>algorithm:</c> argument of a <c>NetGen.Conv2D</c> or <c>NetGen.PooledConvolution</c> call: only Direct, im2col being their default.</summary>
    internal static string AlgorithmArgument(ConvolutionAlgorithmKind algorithm) =>
        algorithm == ConvolutionAlgorithmKind.Direct ? ", algorithm: global::NetGen.ConvolutionAlgorithm.Direct" : string.Empty;

    private static int OutputPlane(LayerPlan plan) => plan.Output[1] * plan.Output[2];

    private static int Patch(LayerPlan plan) => plan.Input[0] * ((Conv2DSpec)plan.Layer).Kernel * ((Conv2DSpec)plan.Layer).Kernel;

    /// <summary>
    /// The convolution geometry as device kernel arguments: channels, height, width, window, stride,
    /// padTop, padLeft, outHeight, outWidth (the bottom and right padding are in the output size).
    /// </summary>
    private static string DeviceGeometry(LayerPlan plan)
    {
        var conv = (Conv2DSpec)plan.Layer;
        return $"/* channels, height, width */ {plan.Input[0]}, {plan.Input[1]}, {plan.Input[2]}, /* window, stride, padTop, padLeft */ {conv.Kernel}, {conv.Stride}, {conv.Padding.Top}, {conv.Padding.Left}, /* outHeight, outWidth */ {plan.Output[1]}, {plan.Output[2]}";
    }

    public override bool EmitOnnx(OnnxNodeContext context, SourceWriter writer)
    {
        var conv = (Conv2DSpec)context.Plan.Layer;
        var window = $"[(\"kernel_shape\", [{conv.Kernel}, {conv.Kernel}]), (\"strides\", [{conv.Stride}, {conv.Stride}]), (\"pads\", {conv.Padding.List})]";
        writer.Line(context.Node("Conv", OnnxNodeContext.Names(context.Input, context.Tensor("weight"), context.Tensor("bias")), intLists: window));
        return true;
    }

    public override string ViewConstruction(LayerContext context)
    {
        var plan = context.Plan;
        var conv = (Conv2DSpec)plan.Layer;
        var bias = context.ParameterConstant("bias") ?? "-1";
        return $"new global::NetGen.Conv2D(name: \"{plan.Layer.StateName}\", parameters: _parameters, gradients: {context.GradientBuffer}, weightOffset: {context.ParameterConstant("weight")}, biasOffset: {bias}, filters: {conv.Filters}, channels: {plan.Input[0]}, kernel: {conv.Kernel})";
    }

    /// <summary>The statement declaring the window geometry over the layer's input image.</summary>
    internal static string Geometry(LayerPlan plan, int window, int stride, WindowPads padding) =>
        $"var geometry = new global::NetGen.WindowGeometry(channels: {plan.Input[0]}, height: {plan.Input[1]}, width: {plan.Input[2]}, window: {window}, stride: {stride}, {padding.GeometryArguments});";

    /// <summary>The padding of the <c>Padding</c> rule (when neither <c>Pads</c> nor <c>PaddingSize</c> is given); null after reporting NG0007.</summary>
    private static WindowPads? PaddingRule(LayerDeclaration declaration, AttributeArguments arguments, int kernel, List<DiagnosticInfo> diagnostics)
    {
        var rule = arguments.Int("Padding", (int)PaddingKind.Valid);
        switch ((PaddingKind)rule)
        {
            case PaddingKind.Valid:
                return default(WindowPads);
            case PaddingKind.Same when kernel % 2 == 1:
                return WindowPads.Even((kernel - 1) / 2);
            case PaddingKind.Same:
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.LocationOf("Padding"), declaration.PropertyName, $"Conv2D Padding.Same needs an odd kernel to pad both sides equally, got {kernel}; set Pads (e.g. [0, 0, 1, 1] for a 2×2 kernel) or PaddingSize instead"));
                return null;
            default:
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayerArgument, arguments.LocationOf("Padding"), declaration.PropertyName, $"{rule} is not a Padding value"));
                return null;
        }
    }
}
