using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace NetGen;

/// <summary>
/// im2col and its adjoint col2im for one sample: the patch under every window position becomes a
/// column of a <c>[channels·window·window, outHeight·outWidth]</c> matrix (row <c>(c·k + i)·k + j</c>
/// holds input pixel <c>(c, oh·s − padTop + i, ow·s − padLeft + j)</c>, zero in the padding; the bottom
/// and right padding only add window positions), so a convolution
/// is one matrix product. Rows lie <c>rowStride</c> apart, so several samples' columns can sit side by
/// side in one wider matrix and share one product.
/// </summary>
internal static class ImageColumns
{
    public static void Im2Col<T>(ReadOnlySpan<T> image, Span<T> columns, int rowStride, in WindowGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && ImageColumnsFloat.Handles(g))
        {
            ImageColumnsFloat.Im2Col(MemoryMarshal.Cast<T, float>(image), MemoryMarshal.Cast<T, float>(columns), rowStride, g);
            return;
        }

        var k = g.Window;
        for (var c = 0; c < g.Channels; c++)
        {
            var plane = image.Slice(c * g.Height * g.Width, g.Height * g.Width);
            for (var i = 0; i < k; i++)
            {
                for (var j = 0; j < k; j++)
                {
                    var row = columns.Slice((((c * k) + i) * k + j) * rowStride, g.OutputPlane);
                    var (first, end) = ValidOutputs(j, g.Width, g.OutputWidth, g);
                    for (var oh = 0; oh < g.OutputHeight; oh++)
                    {
                        var target = row.Slice(oh * g.OutputWidth, g.OutputWidth);
                        var ih = (oh * g.Stride) - g.PadTop + i;
                        if ((uint)ih >= (uint)g.Height || first >= end)
                        {
                            target.Clear();
                            continue;
                        }

                        target[..first].Clear();
                        target[end..].Clear();
                        var source = plane.Slice(ih * g.Width, g.Width);
                        var iw = (first * g.Stride) - g.PadLeft + j;
                        if (g.Stride == 1)
                        {
                            source.Slice(iw, end - first).CopyTo(target[first..end]);
                            continue;
                        }

                        for (var ow = first; ow < end; ow++, iw += g.Stride)
                        {
                            target[ow] = source[iw];
                        }
                    }
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col{T}"/>: overwrites <paramref name="image"/> with the sum of every column entry's contribution.</summary>
    public static void Col2Im<T>(ReadOnlySpan<T> columns, int rowStride, Span<T> image, in WindowGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && ImageColumnsFloat.Handles(g))
        {
            ImageColumnsFloat.Col2Im(MemoryMarshal.Cast<T, float>(columns), rowStride, MemoryMarshal.Cast<T, float>(image), g);
            return;
        }

        image[..g.InputSize].Clear();
        var k = g.Window;
        for (var c = 0; c < g.Channels; c++)
        {
            var plane = image.Slice(c * g.Height * g.Width, g.Height * g.Width);
            for (var i = 0; i < k; i++)
            {
                for (var j = 0; j < k; j++)
                {
                    var row = columns.Slice((((c * k) + i) * k + j) * rowStride, g.OutputPlane);
                    var (first, end) = ValidOutputs(j, g.Width, g.OutputWidth, g);
                    for (var oh = 0; oh < g.OutputHeight; oh++)
                    {
                        var ih = (oh * g.Stride) - g.PadTop + i;
                        if ((uint)ih >= (uint)g.Height)
                        {
                            continue;
                        }

                        var source = row.Slice(oh * g.OutputWidth, g.OutputWidth);
                        var target = plane.Slice(ih * g.Width, g.Width);
                        var iw = (first * g.Stride) - g.PadLeft + j;
                        if (g.Stride == 1)
                        {
                            var into = target.Slice(iw, end - first);
                            TensorPrimitives.Add(into, source[first..end], into);
                            continue;
                        }

                        for (var ow = first; ow < end; ow++, iw += g.Stride)
                        {
                            target[iw] += source[ow];
                        }
                    }
                }
            }
        }
    }

    /// <summary>The output columns <c>[first, end)</c> whose kernel column <paramref name="j"/> lands inside the image, not in the padding.</summary>
    private static (int First, int End) ValidOutputs(int j, int size, int outputs, in WindowGeometry g)
    {
        // With p = padLeft: ow·s − p + j ≥ 0  ⇔  ow ≥ ⌈(p − j) / s⌉;   ow·s − p + j ≤ size − 1  ⇔  ow ≤ ⌊(size − 1 + p − j) / s⌋
        var first = Math.Max(0, CeilingDivide(g.PadLeft - j, g.Stride));
        var last = FloorDivide(size - 1 + g.PadLeft - j, g.Stride);
        return (first, Math.Max(first, Math.Min(outputs, last + 1)));
    }

    private static int CeilingDivide(int a, int b) => -FloorDivide(-a, b);

    private static int FloorDivide(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
