using System;
using System.Collections.Generic;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// Average pooling over square windows of NCHW images, per channel, as PyTorch's <c>nn.AvgPool2d</c>:
/// padding adds zeros, and <c>countIncludePad</c> (<c>count_include_pad</c>) says whether a window's
/// sum is divided by its whole area or by the number of its pixels on the image. It has no
/// parameters; the static <see cref="Forward{T}"/> / <see cref="Backward{T}"/> pair is the numerics
/// the generated code calls.
/// </summary>
public sealed class AvgPool2D : Layer
{
    /// <summary>Creates the view of an average-pooling layer named <paramref name="name"/>.</summary>
    public AvgPool2D(string name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorView> Parameters => Array.Empty<TensorView>();

    /// <summary>
    /// <c>y[b, c, oh, ow] = Σ</c> of the window at <c>(oh·s − padTop, ow·s − padLeft)</c> of channel
    /// <c>c</c> over its pixels on the image, divided by <c>window²</c> when <paramref name="countIncludePad"/>
    /// is true, else by the number of those pixels.
    /// </summary>
    /// <exception cref="ArgumentException">A padding is not smaller than the window, or a span is shorter than the batch needs.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, in WindowGeometry geometry, bool countIncludePad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = geometry;
        Pooling.Check(x.Length, y.Length, batch, g);
        var plane = g.Height * g.Width;
        for (var image = 0; image < batch * g.Channels; image++)
        {
            var input = x.Slice(image * plane, plane);
            var output = y.Slice(image * g.OutputPlane, g.OutputPlane);
            for (var oh = 0; oh < g.OutputHeight; oh++)
            {
                var (top, bottom) = Pooling.OnImage(oh, g.Stride, g.PadTop, g.Window, g.Height);
                for (var ow = 0; ow < g.OutputWidth; ow++)
                {
                    var (left, right) = Pooling.OnImage(ow, g.Stride, g.PadLeft, g.Window, g.Width);
                    var sum = T.Zero;
                    for (var h = top; h < bottom; h++)
                    {
                        foreach (var v in input.Slice((h * g.Width) + left, right - left))
                        {
                            sum += v;
                        }
                    }

                    output[(oh * g.OutputWidth) + ow] = sum * Scale<T>(g, countIncludePad, bottom - top, right - left);
                }
            }
        }
    }

    /// <summary>
    /// Spreads each output's gradient over its window's pixels on the image, each getting the share
    /// forward gave it (overlapping windows add up), then applies the previous layer's activation
    /// derivative: <c>dx = spread(dy) ⊙ act′(saved)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A padding is not smaller than the window, or a span is shorter than the batch needs.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, in WindowGeometry geometry, bool countIncludePad, Activation previousActivation, ReadOnlySpan<T> previousSaved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dx.IsEmpty)
        {
            return; // nobody needs the input gradient (the layers before are frozen)
        }

        var g = geometry;
        Pooling.Check(dx.Length, dy.Length, batch, g);
        var plane = g.Height * g.Width;
        dx[..(batch * g.InputSize)].Clear();
        for (var image = 0; image < batch * g.Channels; image++)
        {
            var gradient = dx.Slice(image * plane, plane);
            var outputGradient = dy.Slice(image * g.OutputPlane, g.OutputPlane);
            for (var oh = 0; oh < g.OutputHeight; oh++)
            {
                var (top, bottom) = Pooling.OnImage(oh, g.Stride, g.PadTop, g.Window, g.Height);
                for (var ow = 0; ow < g.OutputWidth; ow++)
                {
                    var (left, right) = Pooling.OnImage(ow, g.Stride, g.PadLeft, g.Window, g.Width);
                    var share = outputGradient[(oh * g.OutputWidth) + ow] * Scale<T>(g, countIncludePad, bottom - top, right - left);
                    for (var h = top; h < bottom; h++)
                    {
                        foreach (ref var v in gradient.Slice((h * g.Width) + left, right - left))
                        {
                            v += share;
                        }
                    }
                }
            }
        }

        Activations.Backward(previousActivation, dx, previousSaved, batch, g.InputSize);
    }

    /// <summary>One over the divisor of a window with <paramref name="rows"/> × <paramref name="columns"/> pixels on the image.</summary>
    private static T Scale<T>(in WindowGeometry g, bool countIncludePad, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        T.One / T.CreateChecked(countIncludePad ? g.Window * g.Window : rows * columns);
}
