using System;

namespace NetGen;

/// <summary>Argument checks shared by the pooling layers.</summary>
internal static class Pooling
{
    /// <summary>Throws unless the geometry is unpadded and the image and pooled spans hold the batch.</summary>
    public static void Check(int imageLength, int pooledLength, int batch, in WindowGeometry g)
    {
        if (g.Padding != 0)
        {
            throw new ArgumentException($"Pooling windows are not padded, but the geometry has padding {g.Padding}.", "geometry");
        }

        WindowGeometry.CheckLength(imageLength, batch, g.InputSize, "image");
        WindowGeometry.CheckLength(pooledLength, batch, g.Channels * g.OutputPlane, "pooled");
    }
}
