using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// What every generated network offers the runtime: its flat parameter and gradient buffers,
/// their layout, inference and a training step. The source generator implements it on each
/// class marked with <see cref="NetworkAttribute"/>.
/// </summary>
/// <remarks>
/// <para>
/// A generated class implements every member publicly, so <c>new MnistMlp().InputSize</c> works
/// without a cast. Its sizes are also compile-time constants in its nested <c>Layout</c> class
/// (<c>MnistMlp.Layout.InputSize</c>, <c>ParameterCount</c>, each tensor's offset), for
/// <c>const</c> declarations.
/// </para>
/// <para>
/// Buffers are planned once for the largest batch seen, so after the first call a training step
/// allocates nothing. A batch whose buffers would exceed the largest array is refused with an
/// <see cref="ArgumentException"/> before anything changes, so the instance stays usable.
/// </para>
/// <para>
/// An instance is not thread-safe: its activations live in per-instance buffers. Use one instance
/// per thread, or lock around its calls. A second thread calling <c>Forward</c>, <c>Evaluate</c> or
/// <c>TrainStep</c> while another is inside one of them gets an
/// <see cref="InvalidOperationException"/> instead of silently wrong values (a compare-exchange per
/// call, no allocation); calls that overlap other members are not detected.
/// </para>
/// </remarks>
public interface INetwork
{
    /// <summary>The per-sample input shape, without the batch dimension.</summary>
    IReadOnlyList<int> InputShape { get; }

    /// <summary>The per-sample output shape, without the batch dimension.</summary>
    IReadOnlyList<int> OutputShape { get; }

    /// <summary>Number of floats in one input sample.</summary>
    int InputSize { get; }

    /// <summary>Number of floats in one output sample.</summary>
    int OutputSize { get; }

    /// <summary>The loss minimised by <see cref="TrainStep(ReadOnlySpan{float}, ReadOnlySpan{int})"/>.</summary>
    Loss Loss { get; }

    /// <summary>
    /// The activation that <see cref="Forward"/>'s outputs have been through: the last layer's declared
    /// one. Softmax or Sigmoid here means the outputs are probabilities (a cross-entropy loss absorbs
    /// them during training, and inference applies them); None under a cross-entropy loss means they
    /// are logits. <see cref="Prediction.NetworkPrediction"/> uses it to return probabilities either way.
    /// </summary>
    Activation OutputActivation { get; }

    /// <summary>All parameters in one contiguous buffer, laid out as <see cref="ParameterLayout"/> says.</summary>
    Span<float> Parameters { get; }

    /// <summary>
    /// The gradient of the last training step's mean loss; mirrors the start of <see cref="Parameters"/>.
    /// Layers marked <c>[Frozen]</c> lie after all the others in the parameters and have no gradients, so
    /// this is shorter than the parameters when there are some (optimizers are sized by it).
    /// </summary>
    Span<float> Gradients { get; }

    /// <summary>Each parameter tensor's state_dict name, offset and shape, in layer order.</summary>
    IReadOnlyList<ParameterInfo> ParameterLayout { get; }

    /// <summary>
    /// Non-trainable state that belongs in a checkpoint (BatchNorm's running statistics), laid out
    /// as <see cref="BufferLayout"/> says. Training updates it; optimizers never see it.
    /// </summary>
    Span<float> Buffers { get; }

    /// <summary>Each buffer tensor's state_dict name, offset (in <see cref="Buffers"/>) and shape.</summary>
    IReadOnlyList<ParameterInfo> BufferLayout { get; }

    /// <summary>
    /// Training forward passes so far. With the network's seed it fixes each step's dropout masks, so
    /// checkpoints save it and loading one restores it: a resumed run draws the masks an
    /// uninterrupted one would. Never negative.
    /// </summary>
    long TrainingSteps { get; set; }

    /// <summary>
    /// Whether <c>TrainStep</c> also computes the gradient of the mean loss with respect to its inputs,
    /// as PyTorch's <c>input.grad</c> after <c>loss.backward()</c> (for saliency maps and adversarial
    /// examples); read it from <see cref="InputGradients"/>. Off by default: it costs the input gradient of
    /// the first layers, and of every layer a frozen prefix would otherwise skip.
    /// </summary>
    bool ComputeInputGradients { get; set; }

    /// <summary>
    /// The gradient of the last <c>TrainStep</c>'s mean loss with respect to its inputs: <c>batch × InputSize</c>
    /// floats laid out as the inputs were, in a buffer of their own (allocated once the option is set), so
    /// <c>Forward</c> and <c>Evaluate</c> leave them alone; the next <c>TrainStep</c> replaces them.
    /// </summary>
    /// <exception cref="InvalidOperationException">The last <c>TrainStep</c> ran without <see cref="ComputeInputGradients"/>.</exception>
    ReadOnlySpan<float> InputGradients { get; }

    /// <summary>
    /// The parts of <see cref="Parameters"/> that are not frozen, in order, adjacent layers merged.
    /// Optimizers update only these, so weight decay and momentum cannot move a frozen layer.
    /// </summary>
    IReadOnlyList<ParameterRange> TrainableRanges { get; }

    /// <summary>
    /// Freezes or thaws the layer whose state_dict prefix is <paramref name="layer"/> (e.g.
    /// <c>hidden</c>): a frozen layer's gradients are not computed (they stay zero) and backward
    /// stops at the first layer that still needs gradients. Throws for unknown layers and layers
    /// without parameters.
    /// </summary>
    void SetFrozen(string layer, bool frozen);

    /// <summary>Whether the layer whose state_dict prefix is <paramref name="layer"/> is frozen.</summary>
    bool IsFrozen(string layer);

    /// <summary>
    /// Inference on a batch (Dropout passes values through, BatchNorm uses running statistics):
    /// <paramref name="inputs"/> holds <c>batch × InputSize</c> floats and
    /// <paramref name="outputs"/> receives <c>batch × OutputSize</c>. Outputs are probabilities when
    /// the last layer ends in Sigmoid or Softmax, otherwise the raw last-layer values (logits).
    /// </summary>
    void Forward(ReadOnlySpan<float> inputs, Span<float> outputs);

    /// <summary>
    /// One training step on a batch with class labels (softmax cross-entropy: class indices;
    /// binary cross-entropy: 0 or 1), in training mode (Dropout drops, BatchNorm uses and updates
    /// batch statistics): forward, loss, backward into <see cref="Gradients"/>
    /// (overwritten, not accumulated). Returns the mean loss. The optimizer step is separate.
    /// </summary>
    float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels);

    /// <summary>
    /// One training step on a batch with float targets of <c>batch × OutputSize</c> values
    /// (class probabilities for softmax cross-entropy). Returns the mean loss.
    /// </summary>
    float TrainStep(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets);

    /// <summary>
    /// The outputs of the most recent <c>Forward</c>, <c>Evaluate</c> or <c>TrainStep</c>
    /// (<c>batch × OutputSize</c>), in the same form <c>Forward</c> writes them, so a training loop
    /// can track accuracy without a second pass. Valid until the next call.
    /// </summary>
    ReadOnlySpan<float> LastOutputs { get; }

    /// <summary>Inference plus the mean loss against class labels, without touching gradients.</summary>
    float Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, Span<float> outputs);

    /// <summary>Inference plus the mean loss against float targets, without touching gradients.</summary>
    float Evaluate(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, Span<float> outputs);

    /// <summary>
    /// A table of layers with their output shapes, parameter counts and forward FLOPs per sample (a
    /// multiply-add counts as 2), marking the layers frozen now; then the parameters in total,
    /// trainable and frozen, the buffers (running statistics, counted apart from parameters), the
    /// network's FLOPs and its activation memory per sample.
    /// </summary>
    string Summary();
}
