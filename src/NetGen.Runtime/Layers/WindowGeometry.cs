using System;

namespace NetGen;

/// <summary>
/// A square window sliding over one sample's image <c>[channels, height, width]</c> (NCHW without
/// the batch): a convolution's kernel or a pooling window. Output size per axis is
/// <c>(size + 2·padding − window) / stride + 1</c>, as in PyTorch.
/// </summary>
public readonly struct WindowGeometry
{
    /// <summary>Describes a window; every size must be positive and the window must fit its padded input.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, the padding is negative, or the window is larger than the padded input.</exception>
    public WindowGeometry(int channels, int height, int width, int window, int stride, int padding)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1, nameof(channels));
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1, nameof(height));
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1, nameof(width));
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1, nameof(window));
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1, nameof(stride));
        ArgumentOutOfRangeException.ThrowIfNegative(padding, nameof(padding));
        if (window > Math.Min(height, width) + (2 * padding))
        {
            throw new ArgumentOutOfRangeException(nameof(window), $"A {window}×{window} window does not fit a {height}×{width} image padded by {padding}.");
        }

        Channels = channels;
        Height = height;
        Width = width;
        Window = window;
        Stride = stride;
        Padding = padding;
        OutputHeight = ((height + (2 * padding) - window) / stride) + 1;
        OutputWidth = ((width + (2 * padding) - window) / stride) + 1;
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

    /// <summary>Zeros added on every side.</summary>
    public int Padding { get; }

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
    public bool IsPointwise => Window == 1 && Stride == 1 && Padding == 0;

    /// <inheritdoc/>
    public override string ToString() => $"[{Channels}, {Height}, {Width}] window {Window} stride {Stride} padding {Padding} → {OutputHeight}×{OutputWidth}";

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
