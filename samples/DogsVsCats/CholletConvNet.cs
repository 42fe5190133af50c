namespace NetGen.Samples.DogsVsCats;

/// <summary>
/// The dogs-vs-cats convnet of Chollet's <i>Deep Learning with Python</i> (ch. 5): four 3×3 ReLU
/// convolutions (32, 64, 128, 128 filters), each followed by 2×2 max pooling, then Dropout 0.5,
/// a 512-unit ReLU layer and one sigmoid output (the probability of "dogs"), trained with binary
/// cross-entropy. [3, 150, 150] → [32, 74, 74] → [64, 36, 36] → [128, 17, 17] → [128, 7, 7]
/// → [6272] → [512] → [1]; 3,453,121 parameters, as in the book.
/// </summary>
[Network(Loss = Loss.BinaryCrossEntropy, Seed = 42)]
[Input(3, 150, 150)]
public partial class CholletConvNet
{
    [Conv2D(32, 3, Activation.ReLU)]  public partial Conv2D Conv1 { get; }
    [MaxPool2D(2)]                    public partial MaxPool2D Pool1 { get; }
    [Conv2D(64, 3, Activation.ReLU)]  public partial Conv2D Conv2 { get; }
    [MaxPool2D(2)]                    public partial MaxPool2D Pool2 { get; }
    [Conv2D(128, 3, Activation.ReLU)] public partial Conv2D Conv3 { get; }
    [MaxPool2D(2)]                    public partial MaxPool2D Pool3 { get; }
    [Conv2D(128, 3, Activation.ReLU)] public partial Conv2D Conv4 { get; }
    [MaxPool2D(2)]                    public partial MaxPool2D Pool4 { get; }
    [Flatten]                         public partial Flatten Features { get; }
    [Dropout(0.5)]                    public partial Dropout Drop { get; }
    [Dense(512, Activation.ReLU)]     public partial Dense Hidden { get; }
    [Dense(1, Activation.Sigmoid)]    public partial Dense Output { get; }
}
