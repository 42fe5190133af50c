namespace NetGen.Runtime.Tests.Gpu;

/// <summary>Softmax cross-entropy over ReLU and Tanh layers, logits out.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 11)]
[Input(12)]
public partial class GpuClassifier
{
    [Dense(16, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dense(8, Activation.Tanh)] public partial Dense Middle { get; }
    [Dense(4)] public partial Dense Output { get; }
}

/// <summary>Softmax cross-entropy against smoothed labels, over a ReLU6 layer.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 17, LabelSmoothing = 0.2)]
[Input(12)]
public partial class GpuSmoothedClassifier
{
    [Dense(16, Activation.ReLU6)] public partial Dense Hidden { get; }
    [Dense(4)] public partial Dense Output { get; }
}

/// <summary>Binary cross-entropy absorbing a Sigmoid, over LeakyReLU and GELU (saved pre-activation).</summary>
[Network(Loss = Loss.BinaryCrossEntropy, Seed = 12)]
[Input(10)]
public partial class GpuBinary
{
    [Dense(12, Activation.LeakyReLU)] public partial Dense Hidden { get; }
    [Dense(6, Activation.GELU)] public partial Dense Middle { get; }
    [Dense(1, Activation.Sigmoid)] public partial Dense Output { get; }
}

/// <summary>Mean squared error through a Sigmoid output that the loss does not absorb.</summary>
[Network(Loss = Loss.MeanSquaredError, Seed = 13)]
[Input(6)]
public partial class GpuRegressor
{
    [Dense(16, Activation.GELU)] public partial Dense Encoder { get; }
    [Dense(3, Activation.Sigmoid)] public partial Dense Head { get; }
}

/// <summary>Mean absolute error, a layer without bias, and a Tanh output.</summary>
[Network(Loss = Loss.MeanAbsoluteError, Seed = 14)]
[Input(5)]
public partial class GpuAbsoluteRegressor
{
    [Dense(7, Activation.Tanh, Bias = false)] public partial Dense Encoder { get; }
    [Dense(2, Activation.Tanh)] public partial Dense Head { get; }
}

/// <summary>An image flattened into Dense layers, softmax absorbed by the loss, trained on soft targets.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 15)]
[Input(2, 3, 4)]
public partial class GpuFlattened
{
    [Flatten] public partial Flatten Flat { get; }
    [Dense(9, Activation.Sigmoid)] public partial Dense Hidden { get; }
    [Dense(3, Activation.Softmax)] public partial Dense Output { get; }
}

/// <summary>
/// A small CNN with padding, stride and overlapping pools: Same-padded ReLU convolution, 3×3 max pool
/// with stride 2, a strided and padded GELU convolution (saved pre-activation), a stride-1 average
/// pool, then Dense layers.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 16)]
[Input(2, 11, 11)]
public partial class GpuConvolutional
{
    [Conv2D(6, 3, Activation.ReLU, Padding = Padding.Same)] public partial Conv2D Conv1 { get; }
    [MaxPool2D(3, Stride = 2)] public partial MaxPool2D Pool1 { get; }
    [Conv2D(8, 2, Activation.GELU, Stride = 2, PaddingSize = 1)] public partial Conv2D Conv2 { get; }
    [AvgPool2D(2, Stride = 1)] public partial AvgPool2D Pool2 { get; }
    [Flatten] public partial Flatten Features { get; }
    [Dense(5, Activation.Tanh)] public partial Dense Hidden { get; }
    [Dense(3)] public partial Dense Output { get; }
}

/// <summary>
/// Uneven padding everywhere (ONNX pads [top, left, bottom, right]): a convolution padded only below
/// and right, a 3×3 / 2 max pool whose windows hang over three sides, a strided convolution padded
/// more above than below, and an average pool that divides by the pixels on the image
/// (CountIncludePad = false): [2, 9, 8] → [5, 9, 8] → [5, 5, 4] → [6, 3, 2] → [6, 3, 3].
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 20)]
[Input(2, 9, 8)]
public partial class GpuUnevenlyPadded
{
    [Conv2D(5, 2, Activation.ReLU, Pads = [0, 0, 1, 1])] public partial Conv2D Conv1 { get; }
    [MaxPool2D(3, Stride = 2, Pads = [1, 0, 1, 2])] public partial MaxPool2D Pool1 { get; }
    [Conv2D(6, 3, Activation.Tanh, Stride = 2, Pads = [2, 1, 0, 1])] public partial Conv2D Conv2 { get; }
    [AvgPool2D(2, Stride = 1, Pads = [1, 1, 0, 1], CountIncludePad = false)] public partial AvgPool2D Pool2 { get; }
    [Flatten] public partial Flatten Features { get; }
    [Dense(3)] public partial Dense Output { get; }
}

/// <summary>
/// Max pooling over ties between different patches: the test gives the first convolution weights
/// that make different quantized patches sum to the same value, so the first-maximum rule decides
/// which patch the weight gradient sees; then a sigmoid convolution without bias and a global
/// average pool.
/// </summary>
[Network(Loss = Loss.MeanSquaredError, Seed = 17)]
[Input(1, 7, 7)]
public partial class GpuPooled
{
    [Conv2D(3, 2)] public partial Conv2D Sums { get; }
    [MaxPool2D(2)] public partial MaxPool2D Pool { get; }
    [Conv2D(4, 2, Activation.Sigmoid, Bias = false)] public partial Conv2D Conv { get; }
    [GlobalAveragePool2D] public partial GlobalAveragePool2D Average { get; }
    [Dense(2)] public partial Dense Head { get; }
}

/// <summary>Dropout between two Dense layers: half the hidden ReLU values dropped in training, so a mask that differs from the CPU's shows at once.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 18)]
[Input(10)]
public partial class GpuDropped
{
    [Dense(24, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dropout(0.5)] public partial Dropout Drop { get; }
    [Dense(3)] public partial Dense Output { get; }
}

/// <summary>
/// BatchNorm per channel of an image (GELU, so it keeps its pre-activation) and per feature of a
/// vector (Tanh), with a non-default momentum and epsilon. The layers before BatchNorm have no bias,
/// as in practice: its gradient would be zero up to rounding, and Adam would turn that noise into
/// full steps of opposite signs on the two devices.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 19)]
[Input(2, 6, 6)]
public partial class GpuNormalized
{
    [Conv2D(4, 3, Bias = false)] public partial Conv2D Conv { get; }
    [BatchNorm(Activation.GELU)] public partial BatchNorm ConvNorm { get; }
    [Flatten] public partial Flatten Flat { get; }
    [Dense(10, Bias = false)] public partial Dense Hidden { get; }
    [BatchNorm(Activation.Tanh, Momentum = 0.3, Epsilon = 1e-3)] public partial BatchNorm Norm { get; }
    [Dense(3)] public partial Dense Output { get; }
}

/// <summary>
/// A residual image network on the device: a ReLU stem read by a block and by the identity skip of
/// its Add (two gradient slots summed, ReLU′ once), BatchNorm in the block, a GELU join (saved
/// pre-activation) read by a strided block and its 1×1 projection shortcut (summed, GELU′ once), an
/// Identity naming the reduced tensor for a Concat with a Sigmoid branch (the reduced tensor's two
/// readers summed through the Identity), then a global average pool and the logits:
/// [2, 6, 6] → [4, 6, 6] → [6, 3, 3] → [8, 3, 3] → [8] → [3].
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 23)]
[Input(2, 6, 6)]
public partial class GpuResidual
{
    [Conv2D(4, 3, Activation.ReLU, Padding = Padding.Same)] public partial Conv2D Stem { get; }
    [Conv2D(4, 3, Padding = Padding.Same, Bias = false)] public partial Conv2D Block { get; }
    [BatchNorm] public partial BatchNorm BlockNorm { get; }
    [Add(nameof(BlockNorm), nameof(Stem), Activation.GELU)] public partial Add Residual { get; }
    [Conv2D(6, 3, Activation.Tanh, Stride = 2, Padding = Padding.Same)] public partial Conv2D Down { get; }
    [Conv2D(6, 1, Stride = 2, Input = nameof(Residual))] public partial Conv2D Projection { get; }
    [Add(nameof(Down), nameof(Projection), Activation.ReLU)] public partial Add Reduced { get; }
    [Conv2D(2, 1, Activation.Sigmoid)] public partial Conv2D Wide { get; }
    [Identity(Input = nameof(Reduced))] public partial Identity Skip { get; }
    [Concat(nameof(Wide), nameof(Skip))] public partial Concat Joined { get; }
    [GlobalAveragePool2D] public partial GlobalAveragePool2D Pool { get; }
    [Dense(3)] public partial Dense Output { get; }
}

/// <summary>
/// A vector graph on the device: a ReLU6 tensor added to itself (both of the Add's gradient slots on
/// one producer, ReLU6′ once), read again by a Tanh layer and by a Concat that also takes the network
/// input (so the input has two readers whose gradients are summed when dL/dinput is asked for), under binary cross-entropy.
/// </summary>
[Network(Loss = Loss.BinaryCrossEntropy, Seed = 24)]
[Input(5)]
public partial class GpuVectorGraph
{
    [Dense(6, Activation.ReLU6)] public partial Dense Hidden { get; }
    [Add(nameof(Hidden), nameof(Hidden))] public partial Add Doubled { get; }
    [Dense(4, Activation.Tanh)] public partial Dense Side { get; }
    [Concat(nameof(Side), nameof(Doubled), LayerAttribute.NetworkInput)] public partial Concat Joined { get; }
    [Dense(1, Activation.Sigmoid)] public partial Dense Output { get; }
}
