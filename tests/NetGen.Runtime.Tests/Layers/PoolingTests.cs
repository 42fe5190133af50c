using System;
using System.Linq;
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

        AvgPool2D.Forward<float>(Image, y, 1, new WindowGeometry(1, 3, 4, 2, 1, 0), countIncludePad: true);

        Assert.Equal(new float[] { 13 / 4f, 19 / 4f, 16 / 4f, 21 / 4f, 20 / 4f, 24 / 4f }, y);
    }

    // Padded by one row on top and one column left and right: the 2 × 2 windows, stride 2, start at rows
    // −1 and 1 and columns −1, 1 and 3; the top row of windows and the outer columns hang over the padding.
    private static readonly WindowGeometry Padded = new(channels: 1, height: 3, width: 4, window: 2, stride: 2, padTop: 1, padLeft: 1, padBottom: 0, padRight: 1);

    [Fact]
    public void PaddedMaxPoolIgnoresThePaddingEvenBelowZero()
    {
        var y = new float[6];
        float[] negative = [.. Image.Select(v => -(v + 1))];

        MaxPool2D.Forward<float>(negative, y, 1, Padded);

        // Padding counts as −∞, not 0: every maximum is a pixel, all of them negative.
        Assert.Equal(new float[] { -2, -3, -1, -4, -2, -7 }, y);
    }

    [Fact]
    public void PaddedAvgPoolDividesByTheWholeWindowOrByItsPixelsOnTheImage()
    {
        var including = new float[6];
        var excluding = new float[6];

        AvgPool2D.Forward<float>(Image, including, 1, Padded, countIncludePad: true);
        AvgPool2D.Forward<float>(Image, excluding, 1, Padded, countIncludePad: false);

        Assert.Equal(new float[] { 1 / 4f, 7 / 4f, 0 / 4f, 10 / 4f, 20 / 4f, 15 / 4f }, including);
        Assert.Equal(new float[] { 1 / 1f, 7 / 2f, 0 / 1f, 10 / 2f, 20 / 4f, 15 / 2f }, excluding);
    }

    [Fact]
    public void GlobalAveragePoolAveragesEachChannel()
    {
        var y = new float[2];

        GlobalAveragePool2D.Forward<float>([1, 2, 3, 6, 10, 20, 30, 60], y, 1, 2, 4);

        Assert.Equal(new float[] { 3, 30 }, y);
    }

    [Fact]
    public void PaddingAsWideAsTheWindowIsRejected()
    {
        // A 2 × 2 window over two rows of top padding would hold no pixel.
        var g = new WindowGeometry(channels: 1, height: 3, width: 4, window: 2, stride: 2, padTop: 2, padLeft: 0, padBottom: 0, padRight: 0);

        var error = Assert.Throws<ArgumentException>(() => AvgPool2D.Forward<float>(Image, new float[6], 1, g, countIncludePad: false));

        Assert.Equal("geometry", error.ParamName);
        Assert.Contains("smaller than the 2×2 window on every side", error.Message);
    }
}
