namespace NetGen;

/// <summary>
/// A 2-D convolution over an image <c>[channels, height, width]</c> per sample, like PyTorch's
/// <c>nn.Conv2d</c>: weight <c>[filters, channels, kernel, kernel]</c>, bias <c>[filters]</c>,
/// output <c>[filters, outHeight, outWidth]</c> with
/// <c>out = (size + padBefore + padAfter − kernel) / stride + 1</c>.
/// </summary>
public sealed class Conv2DAttribute : LayerAttribute
{
    /// <summary>Declares a convolution with <paramref name="filters"/> output channels and a square <paramref name="kernel"/>.</summary>
    public Conv2DAttribute(int filters, int kernel, Activation activation = Activation.None)
    {
        Filters = filters;
        Kernel = kernel;
        Activation = activation;
    }

    /// <summary>The number of output channels.</summary>
    public int Filters { get; }

    /// <summary>The height and width of the kernel.</summary>
    public int Kernel { get; }

    /// <summary>The activation applied after the convolution (elementwise; not Softmax).</summary>
    public Activation Activation { get; }

    /// <summary>The step between kernel positions, in both directions (default 1).</summary>
    public int Stride { get; set; } = 1;

    /// <summary>The padding rule (default <see cref="Padding.Valid"/>); <see cref="PaddingSize"/> overrides it.</summary>
    public Padding Padding { get; set; } = Padding.Valid;

    /// <summary>Rows and columns of zeros added on every side; when set, overrides <see cref="Padding"/>.</summary>
    public int PaddingSize { get; set; } = -1;

    /// <summary>
    /// Zeros added on each side, unevenly if need be: four values in ONNX <c>pads</c> order,
    /// <c>[top, left, bottom, right]</c> (e.g. <c>Pads = [0, 0, 1, 1]</c> is TensorFlow's <c>SAME</c> for a
    /// 2×2 kernel). Not together with <see cref="Padding"/> or <see cref="PaddingSize"/>.
    /// </summary>
    public int[]? Pads { get; set; }

    /// <summary>Whether the layer has a bias per filter (default true).</summary>
    public bool Bias { get; set; } = true;

    /// <summary>
    /// How the CPU computes the convolution (default <see cref="ConvolutionAlgorithm.Auto"/>: the
    /// generator chooses, and says which and why in the generated code). Set
    /// <see cref="ConvolutionAlgorithm.Im2Col"/> for im2col's exact rounding whatever the generator
    /// would choose; an algorithm that cannot compute the layer is error NG0140.
    /// </summary>
    public ConvolutionAlgorithm Algorithm { get; set; } = ConvolutionAlgorithm.Auto;
}
