namespace NetGen.Generator.Tests;

/// <summary>Functional (graph) network declarations for the snapshot tests.</summary>
internal static class GraphTestNetworks
{
    // A residual network: an identity skip whose source feeds two layers (its gradients summed), a
    // strided block with a 1×1 projection on the shortcut, a Concat of two branches (one GELU, which
    // saves its pre-activation), an Identity, and a head read through Input = nameof(…).
    public const string ResidualNet = """
        using NetGen;

        namespace Samples.Graphs;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 5)]
        [Input(1, 8, 8)]
        public partial class ResidualNet
        {
            [Conv2D(4, 3, Padding = Padding.Same, Bias = false)]             public partial Conv2D Stem { get; }
            [BatchNorm(Activation.ReLU)]                                       public partial BatchNorm StemNorm { get; }
            [Conv2D(4, 3, Activation.ReLU, Padding = Padding.Same)]          public partial Conv2D Block1Conv { get; }
            [Add(nameof(Block1Conv), nameof(StemNorm), Activation.ReLU)]     public partial Add Block1 { get; }
            [Conv2D(8, 3, Activation.ReLU, Stride = 2, Padding = Padding.Same)] public partial Conv2D Block2Conv { get; }
            [Conv2D(8, 1, Stride = 2, Input = nameof(Block1))]                public partial Conv2D Block2Projection { get; }
            [Add(nameof(Block2Conv), nameof(Block2Projection))]              public partial Add Block2 { get; }
            [Conv2D(4, 1, Activation.GELU)]                                    public partial Conv2D Wide { get; }
            [Conv2D(4, 3, Padding = Padding.Same, Input = nameof(Block2))]   public partial Conv2D Narrow { get; }
            [Concat(nameof(Wide), nameof(Narrow))]                            public partial Concat Joined { get; }
            [Identity]                                                         public partial Identity Features { get; }
            [GlobalAveragePool2D]                                              public partial GlobalAveragePool2D Pool { get; }
            [Dense(3, Input = nameof(Pool))]                                   public partial Dense Output { get; }
        }
        """;

    // Shared weights: a Conv2D + BatchNorm encoder applied to the image and to its 2×2 average (the
    // uses write no parameters of their own, and add to the gradients the last use wrote), and a Dense
    // applied twice in depth.
    public const string TiedNet = """
        using NetGen;

        namespace Samples.Graphs;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 7)]
        [Input(2, 8, 8)]
        public partial class TiedNet
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
        """;

    // Two named inputs (the metadata read twice: its input gradients summed) and two outputs with their own
    // losses and weights, the digit head (Softmax, absorbed by its loss) also read by the parity head, so its
    // gradient is its loss's plus the parity head's.
    public const string MultiIoNet = """
        using NetGen;

        namespace Samples.Graphs;

        [Network(Seed = 3)]
        public partial class MultiIoNet
        {
            [Input(1, 6, 6)] public partial InputTensor Image { get; }
            [Input(4)]       public partial InputTensor Metadata { get; }

            [Conv2D(2, 3, Activation.ReLU, Input = nameof(Image))]                            public partial Conv2D Conv { get; }
            [Flatten]                                                                          public partial Flatten Flat { get; }
            [Concat(nameof(Flat), nameof(Metadata))]                                          public partial Concat Joined { get; }
            [Dense(8, Activation.Tanh)]                                                        public partial Dense Hidden { get; }
            [Dense(3), Output(Loss.SoftmaxCrossEntropy)]                                       public partial Dense Digit { get; }
            [Concat(nameof(Digit), nameof(Metadata))]                                         public partial Concat Clues { get; }
            [Dense(1, Activation.Sigmoid), Output(Loss.MeanSquaredError, Weight = 0.5)]       public partial Dense Parity { get; }
        }
        """;
}
