using System.Collections.Generic;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;

namespace NetGen.Generator.Layers;

/// <summary>What the parser knows about a layer property before its attribute is bound.</summary>
internal sealed record LayerDeclaration(string PropertyName, string StateName, string Modifiers, LocationInfo? Location);

/// <summary>A tensor a layer reads, as shape inference sees it: the layer (or <c>input</c>) that produces it, its shape, and the argument naming it.</summary>
internal sealed record NamedShape(string Name, Shape Shape, LocationInfo? Location);

/// <summary>The result of a layer's shape rule: an output shape, or the diagnostic that stops it.</summary>
internal readonly record struct ShapeResult(Shape? Output, DiagnosticInfo? Error)
{
    public static ShapeResult Ok(Shape output) => new(output, null);

    public static ShapeResult Fail(DiagnosticInfo error) => new(null, error);
}

/// <summary>
/// One kind of layer, in one place: how its attribute binds to a spec, its shape rule, its
/// parameters, and the code of its forward and backward passes side by side, for the CPU
/// (<see cref="EmitForward"/>, <see cref="EmitBackward"/>) and for a device (<see cref="EmitDeviceForward"/>,
/// <see cref="EmitDeviceBackward"/>, the kernels of <see cref="DeviceKernels"/>).
/// </summary>
internal abstract class LayerKind
{
    /// <summary>The attribute's metadata name, e.g. <c>NetGen.DenseAttribute</c>.</summary>
    public abstract string AttributeMetadataName { get; }

    /// <summary>The runtime view type of the layer property, e.g. <c>NetGen.Dense</c>.</summary>
    public abstract string RuntimeType { get; }

    /// <summary>The name users write, e.g. <c>Dense</c>.</summary>
    public string Name => RuntimeType.Substring(RuntimeType.LastIndexOf('.') + 1);

    /// <summary>Builds the spec from the attribute's arguments, or reports why it cannot.</summary>
    public abstract LayerSpec? Bind(LayerDeclaration declaration, AttributeArguments arguments, List<DiagnosticInfo> diagnostics);

    /// <summary>The shape rule over every tensor the layer reads, in order.</summary>
    public abstract ShapeResult InferShape(LayerSpec spec, IReadOnlyList<NamedShape> inputs);

    /// <summary>Whether the op names its inputs in its constructor (<c>[Add(nameof(A), nameof(B))]</c>) rather than reading one tensor (<c>Input = …</c> or the layer before).</summary>
    public virtual bool NamesItsInputs => false;

    /// <summary>The layer's parameter tensors, without offsets (the planner assigns them).</summary>
    public virtual IEnumerable<ParameterTensor> Parameters(LayerSpec spec, Shape input, Shape output) => [];

    /// <summary>Non-trainable state tensors (state_dict buffers), without offsets; the planner places them in the buffer region.</summary>
    public virtual IEnumerable<ParameterTensor> Buffers(LayerSpec spec, Shape input, Shape output) => [];

    /// <summary>Floats per sample the layer keeps for backward besides its output (e.g. a dropout mask).</summary>
    public virtual int SavedPerSample(LayerSpec spec, Shape input, Shape output) => 0;

    /// <summary>
    /// Whether the layer writes what it keeps for backward only in training mode, so that a node of a
    /// frozen prefix, which always runs in inference mode, is planned without it (BatchNorm's x̂ and 1/σ).
    /// </summary>
    public virtual bool SavesOnlyWhileTraining => false;

    /// <summary>The activation the layer applies (None for layers without one).</summary>
    public virtual ActivationKind Activation(LayerSpec spec) => ActivationKind.None;

    /// <summary>Whether the output is the input reinterpreted (no copy, no buffer of its own; its gradient is the input's).</summary>
    public virtual bool IsReshape => false;

    /// <summary>One line for the summary and the XML docs, e.g. <c>784 → 128, ReLU</c>.</summary>
    public abstract string Describe(LayerSpec spec, Shape input, Shape output);

    /// <summary>
    /// <see cref="Describe"/> for node <paramref name="node"/> of <paramref name="network"/> as the CPU runs it:
    /// a layer whose algorithm depends on its neighbours (a convolution with a max pooling fused into it) says so.
    /// </summary>
    public virtual string DescribeOnCpu(NetworkPlan network, int node)
    {
        var layer = network.Layers[node];
        return Describe(layer.Layer, layer.Input, layer.Output);
    }

    /// <summary>Floating-point operations of the forward pass for one sample (a multiply-add counts 2).</summary>
    public abstract long ForwardFlops(LayerSpec spec, Shape input, Shape output);

    /// <summary>
    /// Writes the statements of <c>Forward_{Layer}</c>; the method's <c>training</c> argument tells
    /// training (<c>TrainStep</c>) from inference (<c>Forward</c>, <c>Evaluate</c>).
    /// </summary>
    public abstract void EmitForward(LayerContext context, SourceWriter writer);

    /// <summary>
    /// Writes the statements of <c>Backward_{Layer}</c>. On entry the layer's output gradient holds
    /// the gradient of its pre-activation (its own activation's backward already applied); on exit
    /// its parameter gradients are written and, when needed, its input gradient holds the gradient
    /// of the producer's pre-activation (the producer's activation backward fused here).
    /// </summary>
    public abstract void EmitBackward(LayerContext context, SourceWriter writer);

    /// <summary>Whether the op reads token ids (an Embedding); any other op reading an input declared as tokens is NG0122.</summary>
    public virtual bool ReadsTokenIds => false;

    /// <summary>
    /// Writes the node's launches in the device network's <c>RunForward(batch, training)</c>: the
    /// same computation as <see cref="EmitForward"/> on the device's buffers.
    /// </summary>
    public abstract void EmitDeviceForward(LayerContext context, SourceWriter writer);

    /// <summary>
    /// Writes the node's launches in the device network's <c>RunBackward(batch)</c>, with the contract
    /// of <see cref="EmitBackward"/>, except that no gradient of the network input is computed.
    /// </summary>
    public abstract void EmitDeviceBackward(LayerContext context, SourceWriter writer);

    /// <summary>
    /// Writes statements of the device network's <c>CheckInputs(inputs)</c>, which runs on the host before a
    /// batch is staged, for a node whose inputs the device cannot check cheaply (an Embedding's token ids):
    /// the CPU's error, thrown before any launch. Nothing for most ops.
    /// </summary>
    public virtual void EmitDeviceInputCheck(LayerContext context, SourceWriter writer)
    {
    }

    /// <summary>The kernel texts (NetGen's portable C dialect) the node's launches call, beside the shared GEMM, epilogue and derivative kernels.</summary>
    public virtual IEnumerable<string> DeviceKernels(LayerPlan plan) => [];

    /// <summary>
    /// Writes the layer's op in the generated <c>ExportOnnx</c> as ONNX nodes writing <see cref="OnnxNodeContext.Result"/>
    /// (the activation follows on its own), or returns false when the op with these options has no ONNX
    /// translation yet: the method then throws naming the layer, rather than export a wrong graph.
    /// </summary>
    public virtual bool EmitOnnx(OnnxNodeContext context, SourceWriter writer) => false;

    /// <summary>The expression that constructs the runtime view of the layer.</summary>
    public abstract string ViewConstruction(LayerContext context);
}

/// <summary>A layer kind that reads one tensor: every kind but the merge ops (Add, Concat).</summary>
internal abstract class UnaryLayerKind : LayerKind
{
    public sealed override ShapeResult InferShape(LayerSpec spec, IReadOnlyList<NamedShape> inputs) => InferShape(spec, inputs[0].Shape, inputs[0].Name);

    /// <summary>The shape rule. <paramref name="producer"/> names the layer (or <c>input</c>) that feeds this one, for messages.</summary>
    public abstract ShapeResult InferShape(LayerSpec spec, Shape input, string producer);
}
