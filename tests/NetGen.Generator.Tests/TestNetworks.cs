namespace NetGen.Generator.Tests;

/// <summary>Network declarations shared by the snapshot, compilation and incremental tests.</summary>
internal static class TestNetworks
{
    public const string MnistMlp = """
        using NetGen;

        namespace Samples;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 42)]
        [Input(784)]
        public partial class MnistMlp
        {
            [Dense(128, Activation.ReLU)] public partial Dense Hidden { get; }
            [Dense(10)]                   public partial Dense Output { get; }
        }
        """;

    // Binary classifier: sigmoid absorbed by the loss, GELU (saves its pre-activation), a layer without bias.
    public const string BinaryClassifier = """
        using NetGen;

        namespace Samples.Binary
        {
            [Network(Loss = Loss.BinaryCrossEntropy, Seed = 7)]
            [Input(20)]
            internal partial class BinaryClassifier
            {
                [Dense(32, Activation.GELU)]               internal partial Dense Encoder { get; }
                [Dense(16, Activation.Tanh, Bias = false)] internal partial Dense Bottleneck { get; }
                [Dense(1, Activation.Sigmoid)]             internal partial Dense Decision { get; }
            }
        }
        """;

    // Regression nested in a partial type in the global namespace: the loss does not absorb the
    // last activation, so its derivative is applied after the loss.
    public const string NestedRegressor = """
        using NetGen;

        public static partial class Models
        {
            [Network(Loss = Loss.MeanSquaredError)]
            [Input(3)]
            public partial class Regressor
            {
                [Dense(8, Activation.LeakyReLU)] public partial Dense Features { get; }
                [Dense(2, Activation.Sigmoid)]   public partial Dense Head { get; }
            }
        }
        """;

    // An image input flattened for dense layers: Flatten aliases the network input, so the first
    // dense layer reads the caller's span directly.
    public const string FlattenedImage = """
        using NetGen;

        namespace Samples;

        [Network(Loss = Loss.SoftmaxCrossEntropy)]
        [Input(1, 28, 28)]
        public partial class FlattenedImage
        {
            [Flatten]                    public partial Flatten Pixels { get; }
            [Dense(64, Activation.ReLU)] public partial Dense Hidden { get; }
            [Flatten]                    public partial Flatten Again { get; }
            [Dense(10)]                  public partial Dense Output { get; }
        }
        """;

    // Regularisation: BatchNorm on an image (per channel) and on features (with ReLU), a frozen
    // dense layer, dropout and label smoothing; the first layer with trainable parameters decides
    // where backward stops.
    public const string RegularisedClassifier = """
        using NetGen;

        namespace Samples;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 5, LabelSmoothing = 0.1)]
        [Input(2, 4, 4)]
        public partial class RegularisedClassifier
        {
            [BatchNorm]                                   public partial BatchNorm InputNorm { get; }
            [Flatten]                                     public partial Flatten Pixels { get; }
            [Frozen, Dense(16)]                           public partial Dense Embed { get; }
            [BatchNorm(Activation.ReLU, Momentum = 0.05)] public partial BatchNorm Norm { get; }
            [Dropout(0.25)]                               public partial Dropout Drop { get; }
            [Dense(3)]                                    public partial Dense Output { get; }
        }
        """;

    // A frozen backbone (Conv2D, BatchNorm, pooling, Flatten) under a trainable head with its own dropout:
    // the frozen prefix ends in 'features', which the head alone reads, so the class gets the frozen-feature members.
    public const string FrozenBackbone = """
        using NetGen;

        namespace Samples;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 5)]
        [Input(1, 6, 6)]
        public partial class FrozenBackbone
        {
            [Frozen, Conv2D(4, 3, Bias = false)]          public partial Conv2D Conv { get; }
            [Frozen, BatchNorm(Activation.ReLU)]          public partial BatchNorm Norm { get; }
            [MaxPool2D(2)]                                public partial MaxPool2D Pool { get; }
            [Flatten]                                     public partial Flatten Features { get; }
            [Dense(8, Activation.ReLU)]                   public partial Dense Hidden { get; }
            [Dropout(0.5)]                                public partial Dropout Drop { get; }
            [Dense(2)]                                    public partial Dense Output { get; }
        }
        """;
}
