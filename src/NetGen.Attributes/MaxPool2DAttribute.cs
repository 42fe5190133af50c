namespace NetGen;

/// <summary>
/// Max pooling over square windows of an image <c>[channels, height, width]</c>, per channel, like
/// PyTorch's <c>nn.MaxPool2d</c>. Padding counts as −∞: a window takes the maximum of its pixels on
/// the image. The gradient flows to each window's (first) maximum.
/// </summary>
public sealed class MaxPool2DAttribute : LayerAttribute
{
    /// <summary>Declares max pooling over <paramref name="pool"/>×<paramref name="pool"/> windows, stride <paramref name="pool"/> unless set.</summary>
    public MaxPool2DAttribute(int pool)
    {
        Pool = pool;
        Stride = pool;
    }

    /// <summary>The height and width of the window.</summary>
    public int Pool { get; }

    /// <summary>The step between windows (default: the window size, so windows do not overlap).</summary>
    public int Stride { get; set; }

    /// <summary>Rows and columns of padding on every side (default 0); each side's padding must be smaller than the window.</summary>
    public int PaddingSize { get; set; }

    /// <summary>
    /// Padding on each side, unevenly if need be: four values in ONNX <c>pads</c> order,
    /// <c>[top, left, bottom, right]</c>, each smaller than the window. Not together with <see cref="PaddingSize"/>.
    /// </summary>
    public int[]? Pads { get; set; }
}
