namespace NetGen;

/// <summary>
/// Average pooling over square windows of an image <c>[channels, height, width]</c>, per channel,
/// like PyTorch's <c>nn.AvgPool2d</c>. Padding adds zeros, counted or not by <see cref="CountIncludePad"/>.
/// </summary>
public sealed class AvgPool2DAttribute : LayerAttribute
{
    /// <summary>Declares average pooling over <paramref name="pool"/>×<paramref name="pool"/> windows, stride <paramref name="pool"/> unless set.</summary>
    public AvgPool2DAttribute(int pool)
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

    /// <summary>
    /// Whether a window's sum is divided by its whole area, padding included (default true, as
    /// PyTorch's <c>count_include_pad</c>), or only by the number of its pixels on the image.
    /// </summary>
    public bool CountIncludePad { get; set; } = true;
}
