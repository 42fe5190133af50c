using System;

namespace NetGen;

/// <summary>
/// A square window sliding over one sample's image <c>[channels, height, width]</c> (NCHW without
/// the batch): a convolution's kernel or a pooling window, over the image padded by
/// <see cref="PadTop"/>, <see cref="PadLeft"/>, <see cref="PadBottom"/> and <see cref="PadRight"/> rows and
/// columns (ONNX <c>pads</c> order: top, left, bottom, right). Output size per axis is
/// <c>(size + padBefore + padAfter − window) / stride + 1</c>, as in PyTorch and ONNX.
/// </summary>
public readonly struct WindowGeometry
{
    /// <summary>Describes a window padded by <paramref name="padding"/> on every side; every size must be positive and the window must fit its padded input.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, the padding is negative, or the window is larger than the padded input.</exception>
    public WindowGeometry(int channels, int height, int width, int window, int stride, int padding)
        : this(channels, height, width, window, stride, padding, padding, padding, padding)
    {
    }

    /// <summary>
    /// Describes a window over an image padded unevenly (ONNX <c>pads</c> = [top, left, bottom, right]);
    /// every size must be positive and the window must fit its padded input.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, a padding is negative, or the window is larger than the padded input.</exception>
    public WindowGeometry(int channels, int height, int width, int window, int stride, int padTop, int padLeft, int padBottom, int padRight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1, nameof(channels));
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1, nameof(height));
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1, nameof(width));
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1, nameof(window));
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1, nameof(stride));
        ArgumentOutOfRangeException.ThrowIfNegative(padTop, nameof(padTop));
        ArgumentOutOfRangeException.ThrowIfNegative(padLeft, nameof(padLeft));
        ArgumentOutOfRangeException.ThrowIfNegative(padBottom, nameof(padBottom));
        ArgumentOutOfRangeException.ThrowIfNegative(padRight, nameof(padRight));
        if (window > Math.Min(height + padTop + padBottom, width + padLeft + padRight))
        {
            throw new ArgumentOutOfRangeException(nameof(window), $"A {window}×{window} window does not fit a {height}×{width} image padded by {Pads(padTop, padLeft, padBottom, padRight)}.");
        }

        Channels = channels;
        Height = height;
        Width = width;
        Window = window;
        Stride = stride;
        PadTop = padTop;
        PadLeft = padLeft;
        PadBottom = padBottom;
        PadRight = padRight;
        OutputHeight = ((height + padTop + padBottom - window) / stride) + 1;
        OutputWidth = ((width + padLeft + padRight - window) / stride) + 1;
    }

    /// <summary>Input channels.</summary>
    public int Channels { get; }

    /// <summary>Input height.</summary>
    public int Height { get; }

    /// <summary>Input width.</summary>
    public int Width { get; }

    /// <summary>Height and width of the window.</summary>
    public int Window { get; }

    /// <summary>Step between window positions, both axes.</summary>
    public int Stride { get; }

    /// <summary>Rows of padding above the image.</summary>
    public int PadTop { get; }

    /// <summary>Columns of padding left of the image.</summary>
    public int PadLeft { get; }

    /// <summary>Rows of padding below the image (they only add window positions).</summary>
    public int PadBottom { get; }

    /// <summary>Columns of padding right of the image (they only add window positions).</summary>
    public int PadRight { get; }

    /// <summary>Whether any side is padded.</summary>
    public bool IsPadded => (PadTop | PadLeft | PadBottom | PadRight) != 0;

    /// <summary>Output height.</summary>
    public int OutputHeight { get; }

    /// <summary>Output width.</summary>
    public int OutputWidth { get; }

    /// <summary>Values per input sample: <c>channels · height · width</c>.</summary>
    public int InputSize => Channels * Height * Width;

    /// <summary>Window positions per channel: <c>outHeight · outWidth</c>.</summary>
    public int OutputPlane => OutputHeight * OutputWidth;

    /// <summary>Rows of the im2col matrix: <c>channels · window · window</c>.</summary>
    public int PatchSize => Channels * Window * Window;

    /// <summary>Whether the window is a single pixel visiting every pixel, so im2col would copy the input unchanged.</summary>
    public bool IsPointwise => Window == 1 && Stride == 1 && !IsPadded;

    /// <inheritdoc/>
    public override string ToString() => $"[{Channels}, {Height}, {Width}] window {Window} stride {Stride} padding {Pads(PadTop, PadLeft, PadBottom, PadRight)} → {OutputHeight}×{OutputWidth}";

    /// <summary>One number when every side is padded alike, else the ONNX <c>pads</c> list.</summary>
    private static string Pads(int top, int left, int bottom, int right) =>
        top == left && left == bottom && bottom == right ? top.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"[{top}, {left}, {bottom}, {right}]";

    /// <summary>Throws unless a span of <paramref name="length"/> values holds <paramref name="batch"/> samples of <paramref name="perSample"/> values.</summary>
    internal static void CheckLength(int length, int batch, int perSample, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1, nameof(batch));
        if (length < (long)batch * perSample)
        {
            throw new ArgumentException($"{name} holds {length} values, fewer than batch {batch} × {perSample} per sample.", name);
        }
    }
}
