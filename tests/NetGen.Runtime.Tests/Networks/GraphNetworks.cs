namespace NetGen.Runtime.Tests.Networks;

/// <summary>
/// A functional regressor whose every join is exercised by backward: the network input read twice
/// (a stem and a 1×1 shortcut, joined by Add), a Tanh stem read by a block and by its skip Add (its
/// gradients summed, then Tanh′ once), a strided block with a projection, a GELU branch (saved
/// pre-activation) and a plain one joined by Concat, an Identity, and a head read by name.
/// </summary>
[Network(Loss = Loss.MeanSquaredError, Seed = 11)]
[Input(2, 6, 6)]
public partial class TestResidualRegressor
{
    [Conv2D(3, 3, Activation.Tanh, Padding = Padding.Same)] public partial Conv2D Stem { get; }
    [Conv2D(3, 1, Input = LayerAttribute.NetworkInput)] public partial Conv2D Shortcut { get; }
    [Add(nameof(Stem), nameof(Shortcut), Activation.Tanh)] public partial Add Entry { get; }
    [Conv2D(3, 3, Activation.Sigmoid, Padding = Padding.Same)] public partial Conv2D Block { get; }
    [Add(nameof(Block), nameof(Entry), Activation.LeakyReLU)] public partial Add Residual { get; }
    [Conv2D(4, 3, Activation.Tanh, Stride = 2, Padding = Padding.Same)] public partial Conv2D Down { get; }
    [Conv2D(4, 1, Stride = 2, Input = nameof(Residual))] public partial Conv2D Projection { get; }
    [Add(nameof(Down), nameof(Projection))] public partial Add Reduced { get; }
    [Conv2D(2, 1, Activation.GELU)] public partial Conv2D Wide { get; }
    [Conv2D(3, 3, Activation.Tanh, Padding = Padding.Same, Input = nameof(Reduced))] public partial Conv2D Narrow { get; }
    [Concat(nameof(Wide), nameof(Narrow))] public partial Concat Joined { get; }
    [Identity] public partial Identity Features { get; }
    [GlobalAveragePool2D] public partial GlobalAveragePool2D Pool { get; }
    [Dense(2, Activation.Sigmoid)] public partial Dense Head { get; }
}

/// <summary>A vector network that adds a tensor to itself, adds two Softmax branches (row-wise derivatives after Add's pass) and concatenates them with a Tanh branch and the input.</summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 4)]
[Input(5)]
public partial class TestVectorGraph
{
    [Dense(6, Activation.ReLU6)] public partial Dense Hidden { get; }
    [Add(nameof(Hidden), nameof(Hidden))] public partial Add Doubled { get; }
    [Dense(3, Activation.Softmax)] public partial Dense Scores { get; }
    [Dense(4, Activation.Tanh, Input = nameof(Doubled))] public partial Dense Side { get; }
    [Dense(3, Activation.Softmax, Input = nameof(Side))] public partial Dense Probabilities { get; }
    [Add(nameof(Scores), nameof(Probabilities))] public partial Add Mixed { get; }
    [Concat(nameof(Mixed), nameof(Side), LayerAttribute.NetworkInput)] public partial Concat Joined { get; }
    [Dense(3)] public partial Dense Output { get; }
}
