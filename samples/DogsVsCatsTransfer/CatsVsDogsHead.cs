namespace NetGen.Samples.DogsVsCatsTransfer;

/// <summary>
/// The new head on ResNet-18's 512 features (its global average pool, flattened): Chollet's
/// densely connected classifier for feature extraction, a hidden layer with dropout, then the two class scores.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 7)]
[Input(512)]
public partial class CatsVsDogsHead
{
    [Dense(256, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dropout(0.5)] public partial Dropout HiddenDropout { get; }
    [Dense(2)] public partial Dense Classifier { get; }
}
