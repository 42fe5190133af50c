using System;
using System.Collections.Generic;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetGen.Kernels;
using NetGen.Kernels.Threading;

namespace NetGen;

/// <summary>
/// Max pooling over square windows of NCHW images, per channel; padding counts as −∞ (as in
/// PyTorch), so a window's maximum is that of its pixels on the image. It has no
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

    /// <summary><c>y[b, c, oh, ow] = max</c> of the window at <c>(oh·s − padTop, ow·s − padLeft)</c> of channel <c>c</c>, its pixels on the image.</summary>
    /// <exception cref="ArgumentException">A padding is not smaller than the window, or a span is shorter than the batch needs.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, in WindowGeometry geometry)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = geometry;
        Pooling.Check(x.Length, y.Length, batch, g);
        var parts = StepParallel.Parts(batch, g.InputSize);
        if (parts > 1)
        {
            PoolingParts<T>.Forward(x, y, batch, g, parts);
            return;
        }

        ForwardSamples(x, y, batch, g);
    }

    /// <summary>The forward pass of <paramref name="batch"/> samples at the start of <paramref name="x"/> and <paramref name="y"/> (checked by the caller), on this thread.</summary>
    internal static void ForwardSamples<T>(ReadOnlySpan<T> x, Span<T> y, int batch, in WindowGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && MaxPool2DFloat.Handles(g))
        {
            MaxPool2DFloat.Forward(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y), batch * g.Channels, g);
            return;
        }

        // Each window is clipped to its plane (and holds a pixel: padding < window) and the spans hold the
        // batch (checked above), so the scan below indexes without bounds checks.
        ref var input = ref MemoryMarshal.GetReference(x);
        ref var output = ref MemoryMarshal.GetReference(y);
        var plane = g.Height * g.Width;
        var o = 0;
        for (var image = 0; image < batch * g.Channels; image++)
        {
            ref var channel = ref Unsafe.Add(ref input, image * plane);
            for (var oh = 0; oh < g.OutputHeight; oh++)
            {
                var (top, bottom) = Pooling.OnImage(oh, g.Stride, g.PadTop, g.Window, g.Height);
                for (var ow = 0; ow < g.OutputWidth; ow++, o++)
                {
                    var (left, right) = Pooling.OnImage(ow, g.Stride, g.PadLeft, g.Window, g.Width);
                    Unsafe.Add(ref output, o) = Max(ref channel, (top * g.Width) + left, g.Width, bottom - top, right - left);
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
    /// <exception cref="ArgumentException">A padding is not smaller than the window, or a span is shorter than the batch needs.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> dx, int batch, in WindowGeometry geometry, Activation previousActivation, ReadOnlySpan<T> previousSaved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dx.IsEmpty)
        {
            return; // nobody needs the input gradient (the layers before are frozen)
        }

        var g = geometry;
        Pooling.Check(x.Length, dy.Length, batch, g);
        WindowGeometry.CheckLength(dx.Length, batch, g.InputSize, nameof(dx));
        if (previousActivation != Activation.None)
        {
            WindowGeometry.CheckLength(previousSaved.Length, batch, g.InputSize, nameof(previousSaved));
        }

        var parts = StepParallel.Parts(batch, g.InputSize);
        if (parts > 1)
        {
            PoolingParts<T>.Backward(dy, x, dx, batch, g, previousActivation, previousSaved, parts);
            return;
        }

        BackwardSamples(dy, x, dx, batch, g, previousActivation, previousSaved);
    }

    /// <summary>The backward pass of <paramref name="batch"/> samples at the start of the spans (checked by the caller), on this thread.</summary>
    internal static void BackwardSamples<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> dx, int batch, in WindowGeometry g, Activation previousActivation, ReadOnlySpan<T> previousSaved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && MaxPool2DFloat.Handles(g))
        {
            if (g.Height % 2 != 0 || g.Width % 2 != 0)
            {
                // The windows leave the last row or column uncovered.
                dx[..(batch * g.InputSize)].Clear();
            }

            MaxPool2DFloat.Backward(MemoryMarshal.Cast<T, float>(dy), MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(dx), batch * g.Channels, g);
            Activations.Backward(previousActivation, dx, previousSaved, batch, g.InputSize);
            return;
        }

        dx[..(batch * g.InputSize)].Clear();
        ref var input = ref MemoryMarshal.GetReference(x);
        ref var outputGradient = ref MemoryMarshal.GetReference(dy);
        ref var inputGradient = ref MemoryMarshal.GetReference(dx);
        var plane = g.Height * g.Width;
        var o = 0;
        for (var image = 0; image < batch * g.Channels; image++)
        {
            ref var channel = ref Unsafe.Add(ref input, image * plane);
            ref var gradient = ref Unsafe.Add(ref inputGradient, image * plane);
            for (var oh = 0; oh < g.OutputHeight; oh++)
            {
                var (top, bottom) = Pooling.OnImage(oh, g.Stride, g.PadTop, g.Window, g.Height);
                for (var ow = 0; ow < g.OutputWidth; ow++, o++)
                {
                    var (left, right) = Pooling.OnImage(ow, g.Stride, g.PadLeft, g.Window, g.Width);
                    var corner = (top * g.Width) + left;
                    var (rows, columns) = (bottom - top, right - left);
                    Unsafe.Add(ref gradient, rows == 2 && columns == 2 ? ArgMax2(ref channel, corner, g.Width) : ArgMax(ref channel, corner, g.Width, rows, columns)) += Unsafe.Add(ref outputGradient, o);
                }
            }
        }

        Activations.Backward(previousActivation, dx, previousSaved, batch, g.InputSize);
    }

    /// <summary>
    /// The maximum of the <paramref name="rows"/> × <paramref name="columns"/> window whose top-left pixel
    /// is at <paramref name="corner"/>, NaN if any value is NaN: the value at <see cref="ArgMax{T}"/>,
    /// found without its data-dependent branches.
    /// </summary>
    internal static T Max<T>(ref T plane, int corner, int width, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = Unsafe.Add(ref plane, corner);
        for (var i = 0; i < rows; i++)
        {
            ref var row = ref Unsafe.Add(ref plane, corner + (i * width));
            for (var j = 0; j < columns; j++)
            {
                max = T.Max(max, Unsafe.Add(ref row, j));
            }
        }

        return max;
    }

    /// <summary>
    /// Index in the channel plane of the first maximum of the <paramref name="rows"/> × <paramref name="columns"/>
    /// window whose top-left pixel is at <paramref name="corner"/>; the first NaN wins, so it propagates.
    /// Selects rather than branches on each comparison (the outcome is a coin toss on real
    /// activations) and rescans only when the window holds a NaN.
    /// </summary>
    internal static int ArgMax<T>(ref T plane, int corner, int width, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var best = corner;
        var max = Unsafe.Add(ref plane, corner);
        var sawNaN = false;
        for (var i = 0; i < rows; i++)
        {
            var row = corner + (i * width);
            for (var j = 0; j < columns; j++)
            {
                var v = Unsafe.Add(ref plane, row + j);
                var greater = v > max;
                best = greater ? row + j : best;
                max = greater ? v : max;
                sawNaN |= T.IsNaN(v);
            }
        }

        return sawNaN ? FirstNaN(ref plane, corner, width, rows, columns) : best;
    }

    /// <summary>
    /// <see cref="ArgMax{T}"/> of a 2 × 2 window, unrolled so each comparison becomes a 0/1 value rather
    /// than a branch: the running maximum is a plain maximum (equal values compare alike whichever
    /// is kept) and the index moves only on a strictly greater value, so ties keep the first.
    /// </summary>
    private static int ArgMax2<T>(ref T plane, int corner, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v0 = Unsafe.Add(ref plane, corner);
        var v1 = Unsafe.Add(ref plane, corner + 1);
        var v2 = Unsafe.Add(ref plane, corner + width);
        var v3 = Unsafe.Add(ref plane, corner + width + 1);
        if (T.IsNaN(v0 + v1 + v2 + v3))
        {
            // A NaN, or infinities of both signs: the general scan decides.
            return ArgMax(ref plane, corner, width, 2, 2);
        }

        var g1 = v1 > v0;
        var best = g1 ? 1 : 0;
        var max = T.Max(v0, v1);
        var g2 = v2 > max;
        best = (best & ~-(g2 ? 1 : 0)) | (width & -(g2 ? 1 : 0));
        max = T.Max(max, v2);
        var g3 = v3 > max;
        best = (best & ~-(g3 ? 1 : 0)) | ((width + 1) & -(g3 ? 1 : 0));
        return corner + best;
    }

    private static int FirstNaN<T>(ref T plane, int corner, int width, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                if (T.IsNaN(Unsafe.Add(ref plane, corner + (i * width) + j)))
                {
                    return corner + (i * width) + j;
                }
            }
        }

        throw new InvalidOperationException("Unreachable: the window was seen to hold a NaN.");
    }
}
