namespace NetGen;

/// <summary>How a <see cref="Conv2DAttribute"/> layer computes its convolution on the CPU.</summary>
public enum ConvolutionAlgorithm
{
    /// <summary>
    /// The generator chooses per layer from its shapes (the choice and its reason are in the generated
    /// code and the summary); a ReLU layer read only by an unpadded <see cref="MaxPool2DAttribute"/> runs
    /// the pooling in its epilogue: through im2col with the values of the two layers computed apart, or,
    /// for a 3×3 stride-1 layer of at least 16 input channels under a 2×2 stride-2 pooling, through
    /// Winograd F(2×2, 3×3) with its rounding.
    /// </summary>
    Auto,

    /// <summary>
    /// im2col and one matrix product per chunk of samples: any kernel, stride and padding, and the
    /// rounding of a plain dot product over <c>channels·k·k</c> terms. The layer writes its whole
    /// output, even where a max pooling follows it.
    /// </summary>
    Im2Col,

    /// <summary>
    /// Winograd F(2×2, 3×3): 3×3 kernels, stride 1, padding at most 2 per side; 2.25× fewer
    /// multiply-adds in the forward pass and the input gradient, with slightly different rounding.
    /// </summary>
    Winograd,
}
