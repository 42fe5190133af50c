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

    /// <summary>
    /// A direct convolution for few input channels (a network's first layer: <c>channels·k·k</c> of 9
    /// or 27), stride 1, no padding: every tap is a load of the input at a fixed offset, where im2col
    /// would copy each pixel k·k times into a product too shallow to pay for its packing. The forward
    /// pass rounds as <see cref="Im2Col"/> does; the weight gradient, direct from 27 values a patch, sums
    /// in a different order. Like Auto, it runs a max pooling that reads only a ReLU layer in its epilogue.
    /// </summary>
    Direct,
}
