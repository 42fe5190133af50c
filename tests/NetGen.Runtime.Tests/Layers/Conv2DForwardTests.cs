using System;
using Xunit;

namespace NetGen.Runtime.Tests.Layers;

/// <summary>Conv2D's float32 forward (im2col + packed SGEMM) against a direct convolution computed in double.</summary>
public sealed class Conv2DForwardTests
{
    [Theory]
    [InlineData(1, 28, 28, 16, 3, 1, 0, Activation.ReLU)] // the MNIST first layer
    [InlineData(3, 13, 11, 17, 3, 1, 1, Activation.None)] // sizes off the vector width, same padding
    [InlineData(5, 9, 14, 7, 2, 2, 1, Activation.Tanh)] // even kernel, stride 2
    [InlineData(4, 10, 9, 33, 5, 3, 2, Activation.LeakyReLU)] // wide padding, stride 3
    [InlineData(19, 6, 7, 9, 1, 1, 0, Activation.GELU)] // pointwise
    public void MatchesDirectConvolution(int channels, int height, int width, int filters, int kernel, int stride, int padding, Activation activation) =>
        AssertMatchesDirect(new WindowGeometry(channels, height, width, kernel, stride, padding), filters, activation);

    [Theory]
    [InlineData(3, 13, 11, 17, 3, 1, 0, 1, 1, 2, Activation.ReLU)] // ONNX SAME_UPPER for an even excess: more after than before
    [InlineData(2, 12, 12, 8, 2, 2, 1, 0, 0, 1, Activation.None)] // only the top and right
    [InlineData(5, 9, 14, 7, 4, 3, 3, 2, 0, 1, Activation.Tanh)] // stride 3, top padding near the kernel
    [InlineData(1, 28, 28, 16, 3, 1, 0, 0, 2, 2, Activation.GELU)] // stride 1, padded only after: not the vector im2col
    public void MatchesDirectConvolutionWithUnevenPadding(int channels, int height, int width, int filters, int kernel, int stride, int top, int left, int bottom, int right, Activation activation) =>
        AssertMatchesDirect(new WindowGeometry(channels, height, width, kernel, stride, top, left, bottom, right), filters, activation);

    [Fact]
    public void UnevenPaddingSetsEachOutputAxisFromItsOwnSides()
    {
        var g = new WindowGeometry(channels: 1, height: 5, width: 7, window: 3, stride: 2, padTop: 0, padLeft: 2, padBottom: 2, padRight: 1);

        Assert.Equal(((5 + 0 + 2 - 3) / 2) + 1, g.OutputHeight);
        Assert.Equal(((7 + 2 + 1 - 3) / 2) + 1, g.OutputWidth);
        Assert.Equal("[1, 5, 7] window 3 stride 2 padding [0, 2, 2, 1] → 3×4", g.ToString());
    }

    private static void AssertMatchesDirect(WindowGeometry g, int filters, Activation activation)
    {
        const int batch = 3;
        var random = new SeededRandom(42);
        var x = Random(batch * g.InputSize, random);
        var weight = Random(filters * g.PatchSize, random);
        var bias = Random(filters, random);
        var y = new float[batch * filters * g.OutputPlane];
        var pre = new float[y.Length];

        Conv2D.Forward<float>(x, weight, bias, y, pre, batch, g, filters, activation);

        var expected = Direct(x, weight, bias, batch, g, filters, activation);
        for (var i = 0; i < y.Length; i++)
        {
            Assert.True(Math.Abs(y[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"y[{i}] = {y[i]}, expected {expected[i]}");
        }
    }

    [Fact]
    public void SoftmaxIsRejected()
    {
        var g = new WindowGeometry(1, 3, 3, 2, 1, 0);

        var error = Assert.Throws<ArgumentException>(() => Conv2D.Forward<float>(new float[9], new float[4], default, new float[4], default, 1, g, 1, Activation.Softmax));

        Assert.Equal("activation", error.ParamName);
    }

    [Fact]
    public void WindowLargerThanThePaddedImageIsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new WindowGeometry(2, 4, 3, 6, 1, 1));

        Assert.Equal("window", error.ParamName);
        Assert.Contains("A 6×6 window does not fit a 4×3 image padded by 1", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => new WindowGeometry(2, 4, 3, 6, 1, 2, 1, 0, 1));
        Assert.Contains("A 6×6 window does not fit a 4×3 image padded by [2, 1, 0, 1]", error.Message);
    }

    [Fact]
    public void NegativePaddingIsRejectedNamingTheSide()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new WindowGeometry(1, 4, 4, 3, 1, 0, 0, -1, 0));

        Assert.Equal("padBottom", error.ParamName);
    }

    [Fact]
    public void ShortOutputNamesTheSpan()
    {
        var g = new WindowGeometry(1, 4, 4, 3, 1, 0);

        var error = Assert.Throws<ArgumentException>(() => Conv2D.Forward<float>(new float[32], new float[9], default, new float[7], default, 2, g, 1, Activation.None));

        Assert.Equal("y", error.ParamName);
    }

    private static double[] Direct(float[] x, float[] weight, float[] bias, int batch, WindowGeometry g, int filters, Activation activation)
    {
        var y = new double[batch * filters * g.OutputPlane];
        for (var b = 0; b < batch; b++)
        {
            for (var f = 0; f < filters; f++)
            {
                for (var oh = 0; oh < g.OutputHeight; oh++)
                {
                    for (var ow = 0; ow < g.OutputWidth; ow++)
                    {
                        double sum = bias[f];
                        for (var c = 0; c < g.Channels; c++)
                        {
                            for (var i = 0; i < g.Window; i++)
                            {
                                for (var j = 0; j < g.Window; j++)
                                {
                                    var ih = (oh * g.Stride) - g.PadTop + i;
                                    var iw = (ow * g.Stride) - g.PadLeft + j;
                                    if (ih >= 0 && ih < g.Height && iw >= 0 && iw < g.Width)
                                    {
                                        sum += (double)x[(((b * g.Channels) + c) * g.Height * g.Width) + (ih * g.Width) + iw] * weight[(((((f * g.Channels) + c) * g.Window) + i) * g.Window) + j];
                                    }
                                }
                            }
                        }

                        y[((((b * filters) + f) * g.OutputHeight) + oh) * g.OutputWidth + ow] = NetGen.Kernels.Activations.Apply(activation, sum);
                    }
                }
            }
        }

        return y;
    }

    private static float[] Random(int length, SeededRandom random)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = random.NextUniform(-1, 1);
        }

        return values;
    }
}
