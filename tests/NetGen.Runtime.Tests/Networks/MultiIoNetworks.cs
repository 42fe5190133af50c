namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// Two inputs and three outputs with three losses and weights: an image through a Conv2D, flattened and
/// concatenated with the metadata vector; a Sigmoid hidden layer read by the digit head (Softmax, which
/// softmax cross-entropy absorbs in training, weight 1) and by a Concat with a Tanh branch of the metadata (the metadata is read twice,
/// its input gradients summed); a Tanh score (mean squared error, weight 0.3) that the parity head (binary
/// cross-entropy on its logit, weight 2) also reads, so the score's gradient is its loss's plus the parity head's, then Tanh′
/// once. tests/reference/record_multiio.py builds the same network in PyTorch.
/// </summary>
[Network(Seed = 5)]
public partial class TestMultiIo
{
    [Input(2, 5, 5)] public partial InputTensor Image { get; }
    [Input(3)] public partial InputTensor Metadata { get; }

    [Conv2D(3, 3, Activation.Tanh, Input = nameof(Image))] public partial Conv2D Conv { get; }
    [Flatten] public partial Flatten Flat { get; }
    [Concat(nameof(Flat), nameof(Metadata))] public partial Concat Joined { get; }
    [Dense(6, Activation.Sigmoid)] public partial Dense Hidden { get; }
    [Dense(4, Activation.Softmax), Output(Loss.SoftmaxCrossEntropy)] public partial Dense Digit { get; }
    [Dense(2, Activation.Tanh, Input = nameof(Metadata))] public partial Dense Side { get; }
    [Concat(nameof(Hidden), nameof(Side))] public partial Concat Mixed { get; }
    [Dense(2, Activation.Tanh), Output(Loss.MeanSquaredError, Weight = 0.3)] public partial Dense Score { get; }
    [Dense(1, Input = nameof(Score)), Output(Loss.BinaryCrossEntropy, Weight = 2)] public partial Dense Parity { get; }
}
