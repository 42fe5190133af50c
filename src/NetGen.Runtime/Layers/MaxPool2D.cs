using System;
using System.Collections.Generic;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// Max pooling over square windows of NCHW images, per channel, without padding. It has no
/// parameters; the static <see cref="Forward{T}"/> / <see cref="Backward{T}"/> pair is the numerics
/// the generated code calls.
/// </summary>
public sealed class MaxPool2D : Layer
{
    /// <summary>Creates the view of a max-pooling layer named <paramref name="name"/>.</summary>
    public MaxPool2D(string name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorView> Parameters => Array.Empty<TensorView>();

    /// <summary><c>y[b, c, oh, ow] = max</c> of the window at <c>(oh·s, ow·s)</c> of channel <c>c</c>.</summary>
    /// <exception cref="ArgumentException">The geometry is padded, or a span is shorter than the batch needs.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, in WindowGeometry geometry)
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
                for (var ow = 0; ow < g.OutputWidth; ow++)
                {
                    output[(oh * g.OutputWidth) + ow] = input[ArgMax(input, oh, ow, g)];
                }
            }
        }
    }

    /// <summary>
    /// Routes each output's gradient to its window's maximum (the first one, as in forward and in
    /// PyTorch), then applies the previous layer's activation derivative:
    /// <c>dx = route(dy) ⊙ act′(saved)</c>. The maxima are found again by the same scan as forward,
    /// which needs no index buffer and picks the same element by construction.
    /// </summary>
    /// <exception cref="ArgumentException">The geometry is padded, or a span is shorter than the batch needs.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> dx, int batch, in WindowGeometry geometry, Activation previousActivation, ReadOnlySpan<T> previousSaved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = geometry;
        Pooling.Check(x.Length, dy.Length, batch, g);
        WindowGeometry.CheckLength(dx.Length, batch, g.InputSize, nameof(dx));
        var plane = g.Height * g.Width;
        dx[..(batch * g.InputSize)].Clear();
        for (var image = 0; image < batch * g.Channels; image++)
        {
            var input = x.Slice(image * plane, plane);
            var gradient = dx.Slice(image * plane, plane);
            var outputGradient = dy.Slice(image * g.OutputPlane, g.OutputPlane);
            for (var oh = 0; oh < g.OutputHeight; oh++)
            {
                for (var ow = 0; ow < g.OutputWidth; ow++)
                {
                    gradient[ArgMax(input, oh, ow, g)] += outputGradient[(oh * g.OutputWidth) + ow];
                }
            }
        }

        Activations.Backward(previousActivation, dx, previousSaved, batch, g.InputSize);
    }

    /// <summary>Index in the channel plane of the window's first maximum; a NaN wins, so it propagates.</summary>
    private static int ArgMax<T>(ReadOnlySpan<T> plane, int oh, int ow, in WindowGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var top = oh * g.Stride;
        var left = ow * g.Stride;
        var best = (top * g.Width) + left;
        var max = plane[best];
        for (var i = 0; i < g.Window && !T.IsNaN(max); i++)
        {
            var row = (top + i) * g.Width;
            for (var j = 0; j < g.Window; j++)
            {
                var v = plane[row + left + j];
                if (v > max || T.IsNaN(v))
                {
                    max = v;
                    best = row + left + j;
                    if (T.IsNaN(v))
                    {
                        break;
                    }
                }
            }
        }

        return best;
    }
}
