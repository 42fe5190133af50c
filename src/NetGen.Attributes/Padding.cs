namespace NetGen;

/// <summary>How a <see cref="Conv2DAttribute"/> pads its input with zeros before sliding its kernel.</summary>
public enum Padding
{
    /// <summary>No padding: the kernel only visits positions where it fits inside the image.</summary>
    Valid,

    /// <summary>
    /// <c>(kernel − 1) / 2</c> zeros on every side, so the output keeps the input's height and width
    /// at stride 1 (<c>⌈size / stride⌉</c> otherwise). Needs an odd kernel.
    /// </summary>
    Same,
}
