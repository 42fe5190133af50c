using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// A ReLU convolution and the max pooling that follows it as one pass: each chunk of samples is
/// convolved as <see cref="Conv2D"/> does (im2col, one product with bias and ReLU in its epilogue)
/// and pooled while its product is still in cache, so only the pooled image and each pooled value's
/// position in its convolution plane reach memory, never the convolution's full output. Backward
/// rebuilds a chunk's convolution gradient from the pooled gradient and the positions in cache and
/// runs <see cref="Conv2D"/>'s weight-gradient and input-gradient products on it (a direct first layer
/// rebuilds it a band of rows at a time, <see cref="DirectConvolution.PooledWeightGradient"/>). The values
/// are those of <see cref="Conv2D"/> then <see cref="MaxPool2D"/> (same chunks, same products, same first
/// maximum; the direct convolution's <c>dW</c>, and a direct first layer's <c>db</c>, summed in another
/// order), on any number of cores.
/// </summary>
public static class PooledConvolution
{
    /// <summary>
    /// <c>y = maxpool(ReLU(W ⊛ x + b))</c> over <paramref name="pool"/>'s windows of each convolution
    /// plane, and in <paramref name="positions"/> the index within its plane of the value each output
    /// took (the first maximum, as <see cref="MaxPool2D"/> picks it).
    /// </summary>
    /// <param name="x">Input images, <c>[batch, channels, height, width]</c>.</param>
    /// <param name="weight">Weight <c>[filters, channels, k, k]</c>.</param>
    /// <param name="bias">Bias <c>[filters]</c>, or empty.</param>
    /// <param name="y">Pooled output <c>[batch, filters, pooledHeight, pooledWidth]</c>.</param>
    /// <param name="positions">One index per pooled output (same layout as <paramref name="y"/>), read by <see cref="Backward{T}"/>.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="geometry">The convolution's window over <paramref name="x"/>.</param>
    /// <param name="filters">Output channels of the convolution.</param>
    /// <param name="pool">The pooling window over the convolution's output (its channels, height and width); unpadded.</param>
    /// <param name="algorithm">How the convolution is computed: <see cref="ConvolutionAlgorithm.Im2Col"/>, or <see cref="ConvolutionAlgorithm.Direct"/> (stride 1, unpadded; see <see cref="DirectConvolution"/>).</param>
    /// <exception cref="ArgumentException">The pooling does not fit the convolution's output or is padded, or a span is shorter than the batch needs.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<int> positions, int batch, in WindowGeometry geometry, int filters, in WindowGeometry pool, ConvolutionAlgorithm algorithm = ConvolutionAlgorithm.Im2Col)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = geometry;
        Check(g, filters, pool);
        var direct = DirectConvolution.Asks(algorithm, g);
        CheckForwardLengths(x, weight, bias, y, positions, batch, g, filters, pool);

        PooledConvolutionParts<T>.Forward(x, weight, bias, y, positions, batch, g, filters, pool, direct, Conv2D.BatchParts(batch));
    }

    /// <summary>
    /// Given <paramref name="dy"/>, the gradient of the loss with respect to the pooled output, sends
    /// each value to its position where the pooled output is positive (ReLU's derivative there is 1, and
    /// 0 where it clipped), then computes <c>dW</c>, <c>db</c> and <c>dx</c> from that convolution
    /// gradient as <see cref="Conv2D.Backward{T}"/> does, in the same sample groups summed pairwise.
    /// <paramref name="dx"/> (empty when nobody needs it) gets the previous activation's derivative.
    /// <paramref name="algorithm"/> is the one <see cref="Forward{T}"/> ran with; <see cref="ConvolutionAlgorithm.Direct"/> computes <c>dW</c> without im2col too.
    /// </summary>
    /// <exception cref="ArgumentException">The pooling does not fit the convolution's output or is padded, or a span is shorter than the batch needs.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, ReadOnlySpan<int> positions, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> weightGradient, Span<T> biasGradient, Span<T> dx, int batch, in WindowGeometry geometry, int filters, in WindowGeometry pool, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool accumulate = false, ConvolutionAlgorithm algorithm = ConvolutionAlgorithm.Im2Col)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = geometry;
        Check(g, filters, pool);
        BackwardPair(dy, y, positions, x, weight, weightGradient, biasGradient, dx, batch, g, filters, pool, previousActivation, previousSaved, accumulate, DirectConvolution.Asks(algorithm, g), winogradWeights: false);
    }

    /// <summary>
    /// The backward pass of a pair the caller checked, its spans checked here; <paramref name="direct"/> as
    /// <see cref="DirectConvolution.Asks"/> says. With <paramref name="winogradWeights"/> each group's weight and
    /// bias gradients come from <see cref="WinogradWeightGradient"/> (a Winograd pair whose shape it <see cref="WinogradWeightGradient.Runs{T}"/>).
    /// </summary>
    internal static void BackwardPair<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, ReadOnlySpan<int> positions, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> weightGradient, Span<T> biasGradient, Span<T> dx, int batch, in WindowGeometry g, int filters, in WindowGeometry pool, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool accumulate, bool direct, bool winogradWeights)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pooledSize = filters * pool.OutputPlane;
        WindowGeometry.CheckLength(dy.Length, batch, pooledSize, nameof(dy));
        WindowGeometry.CheckLength(y.Length, batch, pooledSize, nameof(y));
        WindowGeometry.CheckLength(positions.Length, batch, pooledSize, nameof(positions));
        WindowGeometry.CheckLength(x.Length, batch, g.InputSize, nameof(x));
        WindowGeometry.CheckLength(weight.Length, filters, g.PatchSize, nameof(weight));
        if (!weightGradient.IsEmpty)
        {
            WindowGeometry.CheckLength(weightGradient.Length, filters, g.PatchSize, nameof(weightGradient));
        }

        if (!biasGradient.IsEmpty)
        {
            WindowGeometry.CheckLength(biasGradient.Length, filters, 1, nameof(biasGradient));
        }

        if (!dx.IsEmpty)
        {
            WindowGeometry.CheckLength(dx.Length, batch, g.InputSize, nameof(dx));
            if (previousActivation != Activation.None)
            {
                WindowGeometry.CheckLength(previousSaved.Length, batch, g.InputSize, nameof(previousSaved));
            }
        }

        PooledConvolutionParts<T>.Backward(dy, y, positions, x, weight, weightGradient, biasGradient, dx, batch, g, filters, pool, previousActivation, previousSaved, accumulate, direct, winogradWeights, Conv2D.BatchParts(batch));
    }

    /// <summary>The forward pass of one group of <paramref name="samples"/> (spans checked by the caller).</summary>
    internal static void ForwardGroup<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<int> positions, int samples, in WindowGeometry g, int filters, in WindowGeometry pool, bool direct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (DirectConvolution.Runs<T>(direct, g))
        {
            DirectForwardGroup(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(weight), MemoryMarshal.Cast<T, float>(bias), MemoryMarshal.Cast<T, float>(y), positions, samples, g, filters, pool);
            return;
        }

        var plane = g.OutputPlane;
        var pooledPlane = pool.OutputPlane;
        var epilogue = new GemmEpilogue<T> { RowBias = bias, Activation = Activation.ReLU };
        var chunk = Conv2D.ChunkSamples(g, samples);
        var scratch = ThreadScratch<ScratchPurpose.ConvolutionColumns, T>.Rent((g.PatchSize + filters) * chunk * plane);
        for (var first = 0; first < samples; first += chunk)
        {
            var count = Math.Min(chunk, samples - first);
            var n = count * plane;
            var columns = scratch[..(g.PatchSize * n)];
            for (var s = 0; s < count; s++)
            {
                ImageColumns.Im2Col(x.Slice((first + s) * g.InputSize, g.InputSize), columns[(s * plane)..], n, g);
            }

            var products = scratch.Slice(g.PatchSize * n, filters * n);
            Gemm.Multiply(false, false, filters, n, g.PatchSize, weight, columns, products, false, epilogue);
            for (var s = 0; s < count; s++)
            {
                for (var f = 0; f < filters; f++)
                {
                    var pooled = (((first + s) * filters) + f) * pooledPlane;
                    PoolPlane<T>(products.Slice((f * n) + (s * plane), plane), g.OutputWidth, y.Slice(pooled, pooledPlane), positions.Slice(pooled, pooledPlane), pool, 0, pool.OutputHeight);
                }
            }
        }
    }

    /// <summary>
    /// The backward pass of one group of <paramref name="samples"/> (spans checked by the caller): its
    /// own <c>dW</c> and <c>db</c> into the partials (overwritten; either may be empty) and its samples'
    /// <c>dx</c> without the previous activation's derivative. Each chunk's convolution gradient is
    /// rebuilt as <c>[filters, samples·OH·OW]</c>, the layout <see cref="Conv2D"/> gathers it into.
    /// </summary>
    internal static void BackwardGroup<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, ReadOnlySpan<int> positions, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> weightPartial, Span<T> biasPartial, Span<T> dx, int samples, in WindowGeometry g, int filters, in WindowGeometry pool, bool direct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (DirectConvolution.RunsPooledWeightGradient<T>(direct, g, pool, inputGradient: !dx.IsEmpty))
        {
            DirectConvolution.PooledWeightGradient(dy, y, positions, x, weightPartial, biasPartial, samples, g, filters, pool);
            return;
        }

        var plane = g.OutputPlane;
        var pooledPlane = pool.OutputPlane;
        var chunk = Conv2D.ChunkSamples(g, samples);
        var width = chunk * plane;
        var scratch = ThreadScratch<ScratchPurpose.ConvolutionColumns, T>.Rent((filters + (2 * g.PatchSize)) * width);
        for (var first = 0; first < samples; first += chunk)
        {
            var count = Math.Min(chunk, samples - first);
            var n = count * plane;
            var gradient = scratch[..(filters * n)];
            gradient.Clear();
            for (var s = 0; s < count; s++)
            {
                for (var f = 0; f < filters; f++)
                {
                    var pooled = (((first + s) * filters) + f) * pooledPlane;
                    Route(dy.Slice(pooled, pooledPlane), y.Slice(pooled, pooledPlane), positions.Slice(pooled, pooledPlane), gradient.Slice((f * n) + (s * plane), plane));
                }
            }

            // Summed sample by sample in order, continuing across chunks, as Conv2D sums its dz.
            for (var f = 0; f < biasPartial.Length; f++)
            {
                var sum = first == 0 ? T.Zero : biasPartial[f];
                for (var s = 0; s < count; s++)
                {
                    sum += TensorPrimitives.Sum<T>(gradient.Slice((f * n) + (s * plane), plane));
                }

                biasPartial[f] = sum;
            }

            if (!weightPartial.IsEmpty && DirectConvolution.RunsWeightGradient<T>(direct, g))
            {
                DirectConvolution.WeightGradient<T>(gradient, count, plane, n, x.Slice(first * g.InputSize, count * g.InputSize), weightPartial, g, filters, accumulate: first > 0);
            }
            else if (!weightPartial.IsEmpty)
            {
                var columns = scratch.Slice(filters * width, g.PatchSize * n);
                for (var s = 0; s < count; s++)
                {
                    ImageColumns.Im2Col(x.Slice((first + s) * g.InputSize, g.InputSize), columns[(s * plane)..], n, g);
                }

                Gemm.Multiply(false, true, filters, g.PatchSize, n, gradient, columns, weightPartial, accumulate: first > 0);
            }

            if (!dx.IsEmpty)
            {
                var columnsGradient = scratch.Slice((filters + g.PatchSize) * width, g.PatchSize * n);
                Gemm.Multiply(true, false, g.PatchSize, n, filters, weight, gradient, columnsGradient, false);
                for (var s = 0; s < count; s++)
                {
                    ImageColumns.Col2Im(columnsGradient[(s * plane)..], n, dx.Slice((first + s) * g.InputSize, g.InputSize), g);
                }
            }
        }
    }

    /// <summary>
    /// The direct forward pass of one group (float, <see cref="DirectConvolution.Runs{T}"/>): each sample
    /// convolved a band of pooled rows at a time into <see cref="DirectConvolutionFloat"/>'s wide rows, and
    /// the band pooled from there while it is in L2 (Chollet's conv1: one sample's wide planes are
    /// 2.8 MiB; a band, 4 pooled rows, 154 KiB; see <see cref="DirectConvolution.PooledBandRows"/>).
    /// </summary>
    private static void DirectForwardGroup(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, Span<int> positions, int samples, in WindowGeometry g, int filters, in WindowGeometry pool)
    {
        var pooledPlane = pool.OutputPlane;
        var bandRows = DirectConvolution.PooledBandRows(g, pool, filters);
        var bandStride = DirectConvolution.BandConvolutionRows(pool, bandRows) * g.Width;
        var (packed, band) = DirectConvolution.RentForward(weight, g, filters, bandStride);
        for (var s = 0; s < samples; s++)
        {
            var image = x.Slice(s * g.InputSize, g.InputSize);
            for (var first = 0; first < pool.OutputHeight; first += bandRows)
            {
                var rows = Math.Min(bandRows, pool.OutputHeight - first);
                DirectConvolutionFloat.Forward(image, packed, bias, band, bandStride, g, filters, relu: true, first * pool.Stride, DirectConvolution.BandConvolutionRows(pool, rows));
                for (var f = 0; f < filters; f++)
                {
                    var pooled = (((s * filters) + f) * pooledPlane) + (first * pool.OutputWidth);
                    PoolPlane<float>(band.Slice(f * bandStride, bandStride), g.Width, y.Slice(pooled, rows * pool.OutputWidth), positions.Slice(pooled, rows * pool.OutputWidth), pool, first, rows);
                }
            }
        }
    }

    /// <summary>
    /// Max pooling of <paramref name="rows"/> pooled rows from <paramref name="first"/> of one convolution
    /// plane, whose rows from <c>first·stride</c> lie in <paramref name="image"/> <paramref name="rowStride"/>
    /// apart, into those pooled values and their positions (indices into the whole plane with rows
    /// <c>pool.Width</c> long, whatever the stride).
    /// </summary>
    private static void PoolPlane<T>(ReadOnlySpan<T> image, int rowStride, Span<T> y, Span<int> positions, in WindowGeometry pool, int first, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && MaxPool2DFloat.Handles(pool))
        {
            PooledMaxFloat.Plane(MemoryMarshal.Cast<T, float>(image), rowStride, MemoryMarshal.Cast<T, float>(y), positions, pool, first, rows);
            return;
        }

        ref var input = ref MemoryMarshal.GetReference(image);
        var o = 0;
        for (var oh = 0; oh < rows; oh++)
        {
            for (var ow = 0; ow < pool.OutputWidth; ow++, o++)
            {
                var at = MaxPool2D.ArgMax(ref input, (oh * pool.Stride * rowStride) + (ow * pool.Stride), rowStride, pool.Window, pool.Window);
                var (row, column) = Math.DivRem(at, rowStride);
                positions[o] = ((row + (first * pool.Stride)) * pool.Width) + column;
                y[o] = image[at];
            }
        }
    }

    /// <summary>
    /// Adds each pooled gradient to its position in <paramref name="gradient"/> (one convolution
    /// plane, zeroed by the caller) where the pooled ReLU output is positive; overlapping windows
    /// that share a maximum add up, as in <see cref="MaxPool2D"/>.
    /// </summary>
    private static void Route<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, ReadOnlySpan<int> positions, Span<T> gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var o = 0; o < dy.Length; o++)
        {
            if (y[o] > T.Zero)
            {
                gradient[positions[o]] += dy[o];
            }
        }
    }

    /// <summary>The span lengths a pooled forward pass needs, for every algorithm that computes one (each names its argument).</summary>
    internal static void CheckForwardLengths<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, ReadOnlySpan<T> y, ReadOnlySpan<int> positions, int batch, in WindowGeometry g, int filters, in WindowGeometry pool)
    {
        var pooledSize = filters * pool.OutputPlane;
        WindowGeometry.CheckLength(x.Length, batch, g.InputSize, nameof(x));
        WindowGeometry.CheckLength(weight.Length, filters, g.PatchSize, nameof(weight));
        WindowGeometry.CheckLength(y.Length, batch, pooledSize, nameof(y));
        WindowGeometry.CheckLength(positions.Length, batch, pooledSize, nameof(positions));
        if (!bias.IsEmpty)
        {
            WindowGeometry.CheckLength(bias.Length, filters, 1, nameof(bias));
        }
    }

    private static void Check(in WindowGeometry g, int filters, in WindowGeometry pool)
    {
        if (pool.Channels != filters || pool.Height != g.OutputHeight || pool.Width != g.OutputWidth)
        {
            throw new ArgumentException($"The pooling {pool} does not read the convolution's output [{filters}, {g.OutputHeight}, {g.OutputWidth}].", nameof(pool));
        }

        if (pool.IsPadded)
        {
            throw new ArgumentException($"A pooling fused into a convolution must be unpadded, not {pool}.", nameof(pool));
        }
    }
}
