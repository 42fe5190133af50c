namespace NetGen;

/// <summary>What an <see cref="InputAttribute"/>'s values are.</summary>
public enum InputKind
{
    /// <summary>Features: numbers a layer computes with (pixels, measurements, a previous layer's outputs).</summary>
    Features = 0,

    /// <summary>
    /// Token ids: whole numbers in <c>[0, Vocabulary)</c> held as floats, names rather than quantities (Keras'
    /// <c>Input(dtype="int32")</c>, PyTorch's <c>LongTensor</c> of indices). Only an <c>[Embedding]</c> may read them.
    /// </summary>
    Tokens = 1,
}
