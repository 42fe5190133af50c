namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// One Dense applied three times with one set of weights: to the input, to its own output, and to the
/// input again (so the input is read twice and its gradient summed), the last two joined by Add. Its
/// weight gradient is the sum of three uses': the last in node order writes, the other two add.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 5)]
[Input(6)]
public partial class TestTiedVector
{
    [Dense(6, Activation.Tanh)] public partial Dense Block { get; }
    [Reuse(nameof(Block))] public partial Dense BlockAgain { get; }
    [Reuse(nameof(Block), Input = LayerAttribute.NetworkInput)] public partial Dense BlockOnInput { get; }
    [Add(nameof(BlockAgain), nameof(BlockOnInput))] public partial Add Sum { get; }
    [Dense(3)] public partial Dense Output { get; }
}

/// <summary>
/// A convolution applied at two scales with one set of filters (the image and its 2×2 average, [6, 6]
/// and [3, 3]: a Conv2D's parameters do not depend on the image size), the pooled features joined and
/// mixed by a Dense applied twice in depth. No BatchNorm, so <c>Evaluate</c> computes the training loss
/// and finite differences of it check the training step's gradients.
/// </summary>
[Network(Loss = Loss.MeanSquaredError, Seed = 3)]
[Input(2, 6, 6)]
public partial class TestTiedImages
{
    [Conv2D(3, 3, Activation.Tanh, Padding = Padding.Same)] public partial Conv2D Encoder { get; }
    [GlobalAveragePool2D] public partial GlobalAveragePool2D FinePool { get; }
    [AvgPool2D(2, Input = LayerAttribute.NetworkInput)] public partial AvgPool2D Half { get; }
    [Reuse(nameof(Encoder))] public partial Conv2D CoarseEncoder { get; }
    [GlobalAveragePool2D] public partial GlobalAveragePool2D CoarsePool { get; }
    [Concat(nameof(FinePool), nameof(CoarsePool))] public partial Concat Joined { get; }
    [Dense(6, Activation.Sigmoid)] public partial Dense Mix { get; }
    [Reuse(nameof(Mix))] public partial Dense MixAgain { get; }
    [Dense(2)] public partial Dense Head { get; }
}

/// <summary>
/// The tied network of tests/reference/record_tied.py: a Conv2D + BatchNorm(ReLU) encoder applied to the
/// image and to its 2×2 average (BatchNorm's running statistics updated by each use in turn, as in
/// PyTorch), the pooled features of both concatenated, a Dense(Tanh) applied twice, the class logits.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 7)]
[Input(2, 8, 8)]
public partial class TorchTied
{
    [Conv2D(4, 3, Padding = Padding.Same, Bias = false)] public partial Conv2D Encoder { get; }
    [BatchNorm(Activation.ReLU)] public partial BatchNorm EncoderNorm { get; }
    [GlobalAveragePool2D] public partial GlobalAveragePool2D FinePool { get; }
    [AvgPool2D(2, Input = LayerAttribute.NetworkInput)] public partial AvgPool2D Half { get; }
    [Reuse(nameof(Encoder))] public partial Conv2D CoarseEncoder { get; }
    [Reuse(nameof(EncoderNorm))] public partial BatchNorm CoarseNorm { get; }
    [GlobalAveragePool2D] public partial GlobalAveragePool2D CoarsePool { get; }
    [Concat(nameof(FinePool), nameof(CoarsePool))] public partial Concat Joined { get; }
    [Dense(8, Activation.Tanh)] public partial Dense Mix { get; }
    [Reuse(nameof(Mix))] public partial Dense MixAgain { get; }
    [Dense(3)] public partial Dense Classifier { get; }
}
