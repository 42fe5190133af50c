using System;

namespace NetGen;

/// <summary>What the pooling layers share: argument checks and the part of a window that lies on the image.</summary>
internal static class Pooling
{
    /// <summary>
    /// Throws unless every window overlaps the image (each side's padding is smaller than the
    /// window, so no window lies wholly in the padding) and the image and pooled spans hold the batch.
    /// </summary>
    public static void Check(int imageLength, int pooledLength, int batch, in WindowGeometry g)
    {
        if (Math.Max(Math.Max(g.PadTop, g.PadLeft), Math.Max(g.PadBottom, g.PadRight)) >= g.Window)
        {
            throw new ArgumentException($"Pooling padding must be smaller than the {g.Window}×{g.Window} window on every side, or a window would hold no pixel; the geometry is {g}.", "geometry");
        }

        WindowGeometry.CheckLength(imageLength, batch, g.InputSize, "image");
        WindowGeometry.CheckLength(pooledLength, batch, g.Channels * g.OutputPlane, "pooled");
    }

    /// <summary>
    /// The pixels <c>[first, end)</c> along one axis of output position <paramref name="position"/>'s
    /// window: the window starts at <c>position·stride − padBefore</c>, and padding is no pixel.
    /// </summary>
    public static (int First, int End) OnImage(int position, int stride, int padBefore, int window, int size)
    {
        var start = (position * stride) - padBefore;
        return (Math.Max(0, start), Math.Min(size, start + window));
    }
}
