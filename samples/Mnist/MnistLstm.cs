namespace NetGen.Samples.Mnist;

/// <summary>
/// MNIST read row by row: each image is a sequence of 28 steps of 28 pixels, an LSTM with 128 hidden
/// units reads it top to bottom and the last step's hidden state gives the 10 class logits.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 42)]
[Input(28, 28)]
public partial class MnistLstm
{
    [LSTM(128)] public partial LSTM Recurrent { get; }
    [Dense(10)] public partial Dense Output { get; }
}
