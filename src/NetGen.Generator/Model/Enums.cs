namespace NetGen.Generator.Model;

// Mirrors of the public enums in NetGen.Attributes (same names and values; a test keeps them in
// step). The generator cannot load that assembly, so it reads enum arguments as their numbers.

/// <summary>Mirror of <c>NetGen.Loss</c>.</summary>
internal enum LossKind
{
    SoftmaxCrossEntropy,
    BinaryCrossEntropy,
    MeanSquaredError,
    MeanAbsoluteError,
}

/// <summary>Mirror of <c>NetGen.Activation</c>.</summary>
internal enum ActivationKind
{
    None,
    ReLU,
    LeakyReLU,
    Sigmoid,
    Tanh,
    GELU,
    Softmax,
    ReLU6,
}

/// <summary>Mirror of <c>NetGen.InputKind</c>.</summary>
internal enum InputKindValue
{
    Features,
    Tokens,
}
