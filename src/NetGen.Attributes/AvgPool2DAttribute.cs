namespace NetGen;

/// <summary>
/// Average pooling over square windows of an image <c>[channels, height, width]</c>, per channel,
/// like PyTorch's <c>nn.AvgPool2d</c> without padding.
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
}
