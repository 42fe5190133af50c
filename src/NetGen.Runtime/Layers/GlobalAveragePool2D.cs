using System;
using System.Collections.Generic;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// The mean of each channel over its whole image: <c>[B, C, H, W] → [B, C]</c>. It has no
/// parameters; the static <see cref="Forward{T}"/> / <see cref="Backward{T}"/> pair is the numerics
/// the generated code calls.
/// </summary>
public sealed class GlobalAveragePool2D : Layer
{
    /// <summary>Creates the view of a global-average-pooling layer named <paramref name="name"/>.</summary>
    public GlobalAveragePool2D(string name)
        : base(name)
    {
    }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorView> Parameters => Array.Empty<TensorView>();

    /// <summary><c>y[b, c] = mean(x[b, c, :, :])</c> over a plane of <paramref name="plane"/> = H·W values.</summary>
    /// <exception cref="ArgumentException">A span is shorter than the batch needs.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int batch, int channels, int plane)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(x.Length, y.Length, batch, channels, plane);
        var scale = T.One / T.CreateChecked(plane);
        for (var image = 0; image < batch * channels; image++)
        {
            var sum = T.Zero;
            foreach (var v in x.Slice(image * plane, plane))
            {
                sum += v;
            }

            y[image] = sum * scale;
        }
    }

    /// <summary><c>dx[b, c, h, w] = dy[b, c] / (H·W) ⊙ act′(saved)</c>, the previous layer's activation derivative applied.</summary>
    /// <exception cref="ArgumentException">A span is shorter than the batch needs.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dy, Span<T> dx, int batch, int channels, int plane, Activation previousActivation, ReadOnlySpan<T> previousSaved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (dx.IsEmpty)
        {
            return; // nobody needs the input gradient (the layers before are frozen)
        }

        Check(dx.Length, dy.Length, batch, channels, plane);
        var scale = T.One / T.CreateChecked(plane);
        for (var image = 0; image < batch * channels; image++)
        {
            dx.Slice(image * plane, plane).Fill(dy[image] * scale);
        }

        Activations.Backward(previousActivation, dx, previousSaved, batch, channels * plane);
    }

    private static void Check(int imageLength, int pooledLength, int batch, int channels, int plane)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1, nameof(channels));
        ArgumentOutOfRangeException.ThrowIfLessThan(plane, 1, nameof(plane));
        WindowGeometry.CheckLength(imageLength, batch, channels * plane, "image");
        WindowGeometry.CheckLength(pooledLength, batch, channels, "pooled");
    }
}
