namespace NetGen.Generator.Model;

/// <summary>How a parameter tensor starts: He or Glorot uniform (weights), zeros (biases), or ones (scales, variances).</summary>
internal enum InitKind
{
    Zeros,
    Ones,
    HeUniform,
    GlorotUniform,
}

/// <summary>
/// One parameter tensor in the flat buffer.
/// </summary>
/// <param name="StateName">state_dict name, e.g. <c>hidden.weight</c>.</param>
/// <param name="ConstantName">Name of its offset constant, e.g. <c>HiddenWeight</c>.</param>
/// <param name="Offset">Offset in floats in the parameter (and gradient) buffer.</param>
internal sealed record ParameterTensor(string StateName, string ConstantName, int Offset, Shape Shape, InitKind Init, int FanIn, int FanOut);

/// <summary>
/// A layer after shape inference and memory planning. Activation offsets are per sample: at run
/// time a layer's outputs for the whole batch start at <c>batch × offset</c>, contiguous.
/// </summary>
/// <param name="InputProducer">Index of the layer whose output this layer reads, or -1 for the network input.</param>
/// <param name="InputOffset">Per-sample offset of the input in the activation buffer, or -1 for the network input.</param>
/// <param name="OutputOffset">Per-sample offset of the output; equals <paramref name="InputOffset"/> for layers that only reshape.</param>
/// <param name="PreActivationOffset">Per-sample offset of the saved pre-activation (GELU), or -1.</param>
/// <param name="Activation">The activation this layer applies in the training graph (the loss may have absorbed the last one).</param>
/// <param name="NeedsInputGradient">Whether backward must produce the gradient of the input (false for the first layer).</param>
internal sealed record LayerPlan(
    LayerSpec Layer,
    Shape Input,
    Shape Output,
    int InputProducer,
    int InputOffset,
    int OutputOffset,
    int PreActivationOffset,
    ActivationKind Activation,
    bool NeedsInputGradient,
    EquatableArray<ParameterTensor> Parameters)
{
    public int ParameterCount => System.Linq.Enumerable.Sum(Parameters, p => p.Shape.Size);

    /// <summary>Per-sample offset of what the layer keeps for backward besides its output (a dropout mask, BatchNorm's x̂), or -1.</summary>
    public int SavedOffset { get; init; } = -1;

    /// <summary>Floats per sample at <see cref="SavedOffset"/>.</summary>
    public int SavedPerSample { get; init; }

    /// <summary>Non-trainable state tensors (offsets in the buffer region), e.g. BatchNorm's running statistics.</summary>
    public EquatableArray<ParameterTensor> Buffers { get; init; }
}

/// <summary>
/// The loss as fused into the last layer: <paramref name="Link"/> is the last layer's declared
/// activation that the loss absorbed (Softmax into softmax cross-entropy, Sigmoid into binary
/// cross-entropy), applied only to inference outputs. <paramref name="LabelSmoothing"/> is softmax
/// cross-entropy's ε (0 for none).
/// </summary>
internal sealed record LossPlan(LossKind Kind, ActivationKind Link, int Outputs, double LabelSmoothing);

/// <summary>A network ready to emit: layers with shapes and offsets, buffer sizes and the loss.</summary>
internal sealed record NetworkPlan(
    NetworkSpec Spec,
    EquatableArray<LayerPlan> Layers,
    LossPlan Loss,
    int ParameterCount,
    int ActivationsPerSample)
{
    public LayerPlan Last => Layers[Layers.Count - 1];

    /// <summary>Floats in the buffer region (non-trainable state such as running statistics).</summary>
    public int BufferCount { get; init; }
}
