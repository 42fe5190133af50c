using System;
using System.Collections.Generic;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// Average pooling over square windows of NCHW images, per channel, without padding. It has no
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

    /// <summary><c>y[b, c, oh, ow] = mean</c> of the window at <c>(oh·s, ow·s)</c> of channel <c>c</c>.</summary>
    /// <exception cref="ArgumentException">The geometry is padded, or a span is shorter than the batch needs.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, in WindowGeometry geometry)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = geometry;
        Pooling.Check(x.Length, y.Length, batch, g);
        var plane = g.Height * g.Width;
        var scale = T.One / T.CreateChecked(g.Window * g.Window);
        for (var image = 0; image < batch * g.Channels; image++)
        {
            var input = x.Slice(image * plane, plane);
            var output = y.Slice(image * g.OutputPlane, g.OutputPlane);
            for (var oh = 0; oh < g.OutputHeight; oh++)
            {
                for (var ow = 0; ow < g.OutputWidth; ow++)
                {
                    var sum = T.Zero;
                    for (var i = 0; i < g.Window; i++)
                    {
                        foreach (var v in input.Slice((((oh * g.Stride) + i) * g.Width) + (ow * g.Stride), g.Window))
                        {
                            sum += v;
                        }
                    }

                    output[(oh * g.OutputWidth) + ow] = sum * scale;
                }
            }
        }
    }

    /// <summary>
    /// Spreads each output's gradient evenly over its window (overlapping windows add up), then
    /// applies the previous layer's activation derivative: <c>dx = spread(dy) ⊙ act′(saved)</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The geometry is padded, or a span is shorter than the batch needs.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, in WindowGeometry geometry, Activation previousActivation, ReadOnlySpan<T> previousSaved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dx.IsEmpty)
        {
            return; // nobody needs the input gradient (the layers before are frozen)
        }

        var g = geometry;
        Pooling.Check(dx.Length, dy.Length, batch, g);
        var plane = g.Height * g.Width;
        var scale = T.One / T.CreateChecked(g.Window * g.Window);
        dx[..(batch * g.InputSize)].Clear();
        for (var image = 0; image < batch * g.Channels; image++)
        {
            var gradient = dx.Slice(image * plane, plane);
            var outputGradient = dy.Slice(image * g.OutputPlane, g.OutputPlane);
            for (var oh = 0; oh < g.OutputHeight; oh++)
            {
                for (var ow = 0; ow < g.OutputWidth; ow++)
                {
                    var share = outputGradient[(oh * g.OutputWidth) + ow] * scale;
                    for (var i = 0; i < g.Window; i++)
                    {
                        foreach (ref var v in gradient.Slice((((oh * g.Stride) + i) * g.Width) + (ow * g.Stride), g.Window))
                        {
                            v += share;
                        }
                    }
                }
            }
        }

        Activations.Backward(previousActivation, dx, previousSaved, batch, g.InputSize);
    }
}
