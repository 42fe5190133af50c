namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// The residual network of tests/reference/record_residual.py, declared functionally: a stem, an
/// identity-skip block, a stride-2 block with a 1×1 projection, two branches joined by a Concat, a
/// global average pool and the class logits. [2, 8, 8] → [4, 8, 8] → [6, 4, 4] → [3 + 2, 4, 4] → [5] → [5].
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 12)]
[Input(2, 8, 8)]
public partial class TorchResidual
{
    [Conv2D(4, 3, Padding = Padding.Same, Bias = false)] public partial Conv2D Stem { get; }
    [BatchNorm(Activation.ReLU)] public partial BatchNorm StemNorm { get; }
    [Conv2D(4, 3, Padding = Padding.Same, Bias = false)] public partial Conv2D Block1Conv1 { get; }
    [BatchNorm(Activation.ReLU)] public partial BatchNorm Block1Norm1 { get; }
    [Conv2D(4, 3, Padding = Padding.Same, Bias = false)] public partial Conv2D Block1Conv2 { get; }
    [BatchNorm] public partial BatchNorm Block1Norm2 { get; }
    [Add(nameof(Block1Norm2), nameof(StemNorm), Activation.ReLU)] public partial Add Block1 { get; }
    [Conv2D(6, 3, Stride = 2, Padding = Padding.Same, Bias = false)] public partial Conv2D Block2Conv1 { get; }
    [BatchNorm(Activation.ReLU)] public partial BatchNorm Block2Norm1 { get; }
    [Conv2D(6, 3, Padding = Padding.Same, Bias = false)] public partial Conv2D Block2Conv2 { get; }
    [BatchNorm] public partial BatchNorm Block2Norm2 { get; }
    [Conv2D(6, 1, Stride = 2, Bias = false, Input = nameof(Block1))] public partial Conv2D Block2Projection { get; }
    [BatchNorm] public partial BatchNorm Block2ProjectionNorm { get; }
    [Add(nameof(Block2Norm2), nameof(Block2ProjectionNorm), Activation.ReLU)] public partial Add Block2 { get; }
    [Conv2D(3, 3, Activation.ReLU, Padding = Padding.Same)] public partial Conv2D BranchA { get; }
    [Conv2D(2, 1, Input = nameof(Block2))] public partial Conv2D BranchB { get; }
    [Concat(nameof(BranchA), nameof(BranchB))] public partial Concat Joined { get; }
    [GlobalAveragePool2D] public partial GlobalAveragePool2D Pool { get; }
    [Dense(5)] public partial Dense Classifier { get; }
}
