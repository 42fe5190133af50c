using System;
using Xunit;

namespace NetGen.Runtime.Tests.Layers;

/// <summary>Pooling forward values by hand, and the tie rule max pooling shares with PyTorch.</summary>
public sealed class PoolingTests
{
    private static readonly float[] Image =
    [
        1, 5, 2, 0,
        3, 4, 8, 6,
        7, 7, 1, 9,
    ];

    [Fact]
    public void MaxPoolTakesEachWindowsMaximum()
    {
        var y = new float[2];

        MaxPool2D.Forward<float>(Image, y, 1, new WindowGeometry(1, 3, 4, 2, 2, 0)); // the last row is left over

        Assert.Equal(new float[] { 5, 8 }, y);
    }

    [Fact]
    public void MaxPoolSendsTheGradientOfATieToTheFirstMaximumOnly()
    {
        var g = new WindowGeometry(1, 3, 4, 2, 2, 0); // one row of two windows; the second row is skipped
        var dx = new float[12];

        MaxPool2D.Backward<float>([1, 10], [7, 7, 2, 2, 7, 0, 2, 2, 9, 9, 9, 9], dx, 1, g, Activation.None, default);

        Assert.Equal(new float[] { 1, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, dx);
    }

    [Fact]
    public void AvgPoolAveragesOverlappingWindows()
    {
        var y = new float[6];

        AvgPool2D.Forward<float>(Image, y, 1, new WindowGeometry(1, 3, 4, 2, 1, 0));

        Assert.Equal(new float[] { 13 / 4f, 19 / 4f, 16 / 4f, 21 / 4f, 20 / 4f, 24 / 4f }, y);
    }

    [Fact]
    public void GlobalAveragePoolAveragesEachChannel()
    {
        var y = new float[2];

        GlobalAveragePool2D.Forward<float>([1, 2, 3, 6, 10, 20, 30, 60], y, 1, 2, 4);

        Assert.Equal(new float[] { 3, 30 }, y);
    }

    [Fact]
    public void PaddedPoolingGeometryIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => MaxPool2D.Forward<float>(Image, new float[9], 1, new WindowGeometry(1, 3, 4, 2, 2, 1)));

        Assert.Equal("geometry", error.ParamName);
    }
}
