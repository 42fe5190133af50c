using System.Collections.Generic;
using System.Linq;

namespace NetGen.Generator.Model;

/// <summary>How a parameter tensor starts: He or Glorot uniform (weights), zeros (biases), or ones (scales, variances).</summary>
internal enum InitKind
{
    Zeros,
    Ones,
    HeUniform,
    GlorotUniform,

    /// <summary><c>U(±1/√FanIn)</c> with the hidden size as FanIn: PyTorch's init of every recurrent-layer tensor.</summary>
    RecurrentUniform,
}

/// <summary>
/// One parameter tensor in the flat buffer.
/// </summary>
/// <param name="StateName">state_dict name, e.g. <c>hidden.weight</c>.</param>
/// <param name="ConstantName">Name of its offset constant, e.g. <c>HiddenWeight</c>.</param>
/// <param name="Offset">Offset in floats in the parameter (and gradient) buffer.</param>
internal sealed record ParameterTensor(string StateName, string ConstantName, int Offset, Shape Shape, InitKind Init, int FanIn, int FanOut)
{
    /// <summary>A row of a matrix set to zero after <see cref="Init"/> (an Embedding's padding row), or -1 for none.</summary>
    public int ZeroRow { get; init; } = -1;
}

/// <summary>
/// One input edge of a layer in the lowered graph: which tensor it reads and where its gradient goes.
/// </summary>
/// <param name="ProducerName">The layer (or <c>input</c>) the attribute names, for messages and comments.</param>
/// <param name="Producer">
/// Index of the layer whose activation produced the tensor, looking through layers that only reshape
/// (Flatten, Identity), or for a network input <c>-1 - k</c>, k its index among the inputs (-1 for the only
/// input of most networks). Its activation derivative is what backward applies.
/// </param>
/// <param name="Offset">Per-sample offset of the tensor in the activation buffer, or -1 for the network input (<c>inputs</c>).</param>
/// <param name="Shape">The tensor's per-sample shape as this layer reads it.</param>
/// <param name="GradientOffset">Per-sample offset in the gradient buffer (the input-gradient buffer for the network input) where this layer's backward writes the gradient of the tensor.</param>
/// <param name="Fusion">Whether backward applies the producer's activation derivative itself (the tensor's only consumer), and why not otherwise.</param>
internal sealed record InputEdge(string ProducerName, int Producer, int Offset, Shape Shape, int GradientOffset, FusionDecision Fusion)
{
    /// <summary>Whether this edge reads a network input.</summary>
    public bool IsNetworkInput => Producer < 0 && Offset < 0;

    /// <summary>Which network input this edge reads (0 for the only one of most networks); meaningful when <see cref="IsNetworkInput"/>.</summary>
    public int InputIndex => -1 - Producer;
}

/// <summary>
/// A fusion the planner made or declined, with the reason, so generated code can say which and why.
/// </summary>
internal sealed record FusionDecision(bool Fused, string Reason)
{
    public static FusionDecision Yes(string reason) => new(true, reason);

    public static FusionDecision No(string reason) => new(false, reason);
}

/// <summary>
/// A tensor read by more than one layer (a residual branch point): each consumer writes its own
/// gradient slot, and before the producer's backward the slots are summed into the tensor's gradient
/// and the producer's activation derivative applied once, in one pass per slot.
/// </summary>
/// <param name="ProducerName">The layer whose output is shared, or the input's name (<c>input</c> for the only one).</param>
/// <param name="Producer">Its index, or <c>-1 - k</c> for the kth network input.</param>
/// <param name="GradientOffset">Per-sample offset of the tensor's gradient: the first consumer's slot and the sum.</param>
/// <param name="Slots">Per-sample offsets of the other consumers' slots, added into <paramref name="GradientOffset"/>.</param>
/// <param name="Consumers">The consumers' names, in the order their slots are listed (the first writes <paramref name="GradientOffset"/>).</param>
internal sealed record GradientSum(string ProducerName, int Producer, Shape Shape, int GradientOffset, EquatableArray<int> Slots, EquatableArray<string> Consumers);

/// <summary>
/// A layer as a node of the lowered graph, after shape inference and memory planning. Nodes are in
/// topological order (declaration order where the graph allows). Activation offsets are per sample:
/// at run time a node's outputs for the whole batch start at <c>batch × offset</c>, contiguous.
/// </summary>
/// <param name="Inputs">The tensors the node reads, in the order its op takes them.</param>
/// <param name="OutputOffset">Per-sample offset of the output; the input's for layers that only reshape.</param>
/// <param name="PreActivationOffset">Per-sample offset of the saved pre-activation (GELU), or -1.</param>
/// <param name="Activation">The activation this layer applies in the training graph (the loss may have absorbed the last one).</param>
internal sealed record LayerPlan(
    LayerSpec Layer,
    EquatableArray<InputEdge> Inputs,
    Shape Output,
    int OutputOffset,
    int PreActivationOffset,
    ActivationKind Activation,
    EquatableArray<ParameterTensor> Parameters)
{
    public int ParameterCount => Parameters.Sum(p => p.Shape.Size);

    /// <summary>The first (for most ops the only) input's shape.</summary>
    public Shape Input => Inputs[0].Shape;

    /// <summary>Per-sample offset of what the layer keeps for backward besides its output (a dropout mask, BatchNorm's x̂), or -1.</summary>
    public int SavedOffset { get; init; } = -1;

    /// <summary>Floats per sample at <see cref="SavedOffset"/>.</summary>
    public int SavedPerSample { get; init; }

    /// <summary>Non-trainable state tensors (offsets in the buffer region), e.g. BatchNorm's running statistics.</summary>
    public EquatableArray<ParameterTensor> Buffers { get; init; }

    /// <summary>
    /// For a use of another node's parameters (<c>[Reuse]</c>), that node's index: <see cref="Parameters"/>
    /// and <see cref="Buffers"/> are then the owner's tensors, not copies. -1 for a node that owns its own.
    /// </summary>
    public int ParameterOwner { get; init; } = -1;

    /// <summary>Whether the node owns its parameters (and so lays them out, initialises and counts them).</summary>
    public bool OwnsParameters => ParameterOwner < 0;

    /// <summary>The parameters this node adds to the network's count: its own, none for a use of another node's.</summary>
    public int OwnedParameterCount => OwnsParameters ? ParameterCount : 0;

    /// <summary>
    /// Whether backward adds this node's parameter gradients to what is there rather than overwriting
    /// them: every node sharing parameters but the last in node order, whose backward runs first and writes.
    /// </summary>
    public bool AccumulatesParameterGradients { get; init; }
}

/// <summary>
/// The loss as fused into the last layer: <paramref name="Link"/> is the last layer's declared
/// activation that the loss absorbed (Softmax into softmax cross-entropy, Sigmoid into binary
/// cross-entropy), applied only to inference outputs. <paramref name="LabelSmoothing"/> is softmax
/// cross-entropy's ε (0 for none).
/// </summary>
internal sealed record LossPlan(LossKind Kind, ActivationKind Link, int Outputs, double LabelSmoothing);

/// <summary>
/// One output of the network: the node the loss reads, the loss fitted to it, and the loss's weight in the
/// total. A network without <c>[Output]</c> has one, its last node with weight 1. The loss is the first of
/// the node's readers, so it writes the node's gradient (its weight times the loss's gradient); other
/// readers get slots summed into it (see <see cref="GradientSum"/>).
/// </summary>
/// <param name="Name">The output layer's property name.</param>
/// <param name="Node">Its index in <see cref="NetworkPlan.Layers"/>.</param>
internal sealed record OutputPlan(string Name, int Node, LossPlan Loss, double Weight);

/// <summary>
/// A network ready to emit: the lowered graph (nodes in topological order, with shapes, offsets and
/// fusion decisions), buffer sizes, where gradients of shared tensors are summed, and the loss.
/// </summary>
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

    /// <summary>
    /// Parameters of the layers not marked <c>[Frozen]</c>, which the planner lays out first: the gradient
    /// buffer, and so every optimizer state, holds these alone, at the parameters' own offsets.
    /// </summary>
    public int TrainableParameterCount { get; init; }

    /// <summary>
    /// The frozen prefix: how many nodes come before the first one with trainable parameters when a
    /// <c>[Frozen]</c> layer is among them (else 0). They run forward in inference mode, even in a training
    /// step, keep nothing for backward, and have no backward: it stops at the first trainable node.
    /// </summary>
    public int FrozenPrefix { get; init; }

    /// <summary>Whether <paramref name="layer"/>'s parameters are those of a <c>[Frozen]</c> layer, which have no gradients at all.</summary>
    public bool HasNoGradients(LayerPlan layer) => layer.Parameters.Count > 0 && layer.Parameters[0].Offset >= TrainableParameterCount;

    /// <summary>
    /// Floats per sample of the input-gradient buffer: for each network input, dL/dinput (at
    /// <see cref="InputGradientOffsets"/>), then a slot per further layer that reads it. Offsets of edges
    /// from a network input refer to this buffer.
    /// </summary>
    public int InputGradientsPerSample { get; init; }

    /// <summary>Every parameter tensor once, in node order (uses of another node's parameters left out); [Frozen] layers' tensors lie after the others in the buffer.</summary>
    public IEnumerable<ParameterTensor> OwnedParameters => Layers.Where(l => l.OwnsParameters).SelectMany(l => l.Parameters);

    /// <summary>Every buffer tensor once, in layout order (uses of another node's buffers left out).</summary>
    public IEnumerable<ParameterTensor> OwnedBuffers => Layers.Where(l => l.OwnsParameters).SelectMany(l => l.Buffers);

    /// <summary>Whether some node applies another node's parameters (<c>[Reuse]</c>).</summary>
    public bool SharesParameters => Layers.Any(l => !l.OwnsParameters);

    /// <summary>Tensors read by several layers, whose gradients are summed before their producer's backward.</summary>
    public EquatableArray<GradientSum> GradientSums { get; init; }

    /// <summary>The outputs, each with its loss and weight: the last node alone unless the declaration marks layers <c>[Output]</c>.</summary>
    public EquatableArray<OutputPlan> Outputs { get; init; }

    /// <summary>Per-sample offset in the input-gradient buffer of each network input's gradient (its extra readers' slots follow it).</summary>
    public EquatableArray<int> InputGradientOffsets { get; init; }
}
