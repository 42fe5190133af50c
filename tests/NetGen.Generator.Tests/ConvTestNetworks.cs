namespace NetGen.Generator.Tests;

/// <summary>Convolutional network declarations for the snapshot tests.</summary>
internal static class ConvTestNetworks
{
    // The MNIST CNN of the sample: ReLU convolutions whose max pools run in their epilogues.
    public const string MnistCnn = """
        using NetGen;

        namespace Samples;

        [Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 42)]
        [Input(1, 28, 28)]
        public partial class MnistCnn
        {
            [Conv2D(16, 3, Activation.ReLU)] public partial Conv2D Conv1 { get; }
            [MaxPool2D(2)]                   public partial MaxPool2D Pool1 { get; }
            [Conv2D(32, 3, Activation.ReLU)] public partial Conv2D Conv2 { get; }
            [MaxPool2D(2)]                   public partial MaxPool2D Pool2 { get; }
            [Flatten]                        public partial Flatten Features { get; }
            [Dense(128, Activation.ReLU)]    public partial Dense Hidden { get; }
            [Dense(10)]                      public partial Dense Output { get; }
        }
        """;

    // Every padding rule, a stride, GELU's saved pre-activation feeding a pool, no bias, a pointwise
    // convolution, average and global pooling, and a first layer that needs no input gradient.
    public const string TinyConvNet = """
        using NetGen;

        namespace Samples.Vision;

        [Network(Loss = Loss.BinaryCrossEntropy, Seed = 3)]
        [Input(3, 32, 32)]
        internal partial class TinyConvNet
        {
            [Conv2D(8, 3, Activation.ReLU, Padding = Padding.Same, Algorithm = ConvolutionAlgorithm.Winograd)] internal partial Conv2D Stem { get; }
            [Conv2D(16, 4, Activation.GELU, Stride = 2, PaddingSize = 1, Bias = false)] internal partial Conv2D Down { get; }
            [AvgPool2D(3, Stride = 2)]                                                internal partial AvgPool2D Blur { get; }
            [Conv2D(4, 1, Activation.Tanh)]                                           internal partial Conv2D Mix { get; }
            [GlobalAveragePool2D]                                                     internal partial GlobalAveragePool2D Pool { get; }
            [Dense(1, Activation.Sigmoid)]                                            internal partial Dense Decision { get; }
        }
        """;
}
