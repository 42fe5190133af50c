using System;
using System.Numerics;
using System.Runtime.InteropServices;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// <see cref="ConvolutionAlgorithm.Direct"/> for <see cref="Conv2D"/> and <see cref="PooledConvolution"/>:
/// which calls it serves, and the float group passes around <see cref="DirectConvolutionFloat"/>'s
/// kernels. Only the forward pass and the weight gradient change; the bias gradient and the input
/// gradient are those of im2col (the first layer of a network needs no input gradient anyway), except in
/// a pooled first layer, whose bias gradient <see cref="PooledWeightGradient"/> sums as it routes. Double,
/// or a CPU without AVX-512, runs im2col, which computes the same values up to the sums' order.
/// </summary>
internal static class DirectConvolution
{
    /// <summary>
    /// Whether <paramref name="algorithm"/> asks for the direct convolution: false for
    /// <see cref="ConvolutionAlgorithm.Im2Col"/>, true for <see cref="ConvolutionAlgorithm.Direct"/> on an
    /// unpadded stride-1 geometry.
    /// </summary>
    /// <exception cref="ArgumentException">Direct on a strided or padded geometry, or an algorithm these layers do not run.</exception>
    public static bool Asks(ConvolutionAlgorithm algorithm, in WindowGeometry g) => algorithm switch
    {
        ConvolutionAlgorithm.Im2Col => false,
        ConvolutionAlgorithm.Direct when g.Stride == 1 && !g.IsPadded => true,
        ConvolutionAlgorithm.Direct => throw new ArgumentException($"The direct convolution needs stride 1 and no padding, not {g}.", nameof(algorithm)),
        ConvolutionAlgorithm.Auto or ConvolutionAlgorithm.Winograd => throw new ArgumentException($"{algorithm} is not computed here: pass Im2Col or Direct (Winograd is WinogradConvolution's; Auto is resolved by the generator).", nameof(algorithm)),
    };

    /// <summary>Whether a group pass with <paramref name="direct"/> asked runs the float kernels.</summary>
    public static bool Runs<T>(bool direct, in WindowGeometry g)
        where T : unmanaged => direct && typeof(T) == typeof(float) && DirectConvolutionFloat.Handles(g);

    /// <summary>
    /// Whether the weight gradient runs the float kernel too: from <see cref="MinGradientPatch"/> values a
    /// patch; below, im2col's product of the rebuilt gradient is faster.
    /// </summary>
    public static bool RunsWeightGradient<T>(bool direct, in WindowGeometry g)
        where T : unmanaged => Runs<T>(direct, g) && g.PatchSize >= MinGradientPatch;

    /// <summary>
    /// Measured with the pooling fused (one core, best of 7, load 8): the direct weight gradient took
    /// Chollet's conv1 backward (27 values a patch, batch 32) from 29.1 to 23.3 ms, but the MNIST
    /// CNN's (9, batch 64) from 0.485 to 0.503 ms.
    /// </summary>
    private const int MinGradientPatch = 27;

    /// <summary>
    /// The calling thread's scratch for one group's forward pass: <paramref name="weight"/> packed, and room
    /// for each filter's wide output, <paramref name="planeStride"/> floats apart.
    /// </summary>
    public static ForwardScratch RentForward(ReadOnlySpan<float> weight, in WindowGeometry g, int filters, int planeStride)
    {
        var packedLength = DirectConvolutionFloat.PackedWeightLength(g, filters);
        var scratch = ThreadScratch<ScratchPurpose.ConvolutionColumns, float>.Rent(packedLength + DirectConvolutionFloat.WideOutputLength(filters, planeStride));
        DirectConvolutionFloat.PackWeights(weight, scratch[..packedLength], g, filters);
        return new ForwardScratch { Packed = scratch[..packedLength], Wide = scratch[packedLength..] };
    }

    /// <summary>
    /// Floats of a pooled forward band's wide output (all filters): 160 KiB, in L2 between the convolution
    /// that writes it and the pooling that reads it. Chollet's conv1 (one core, best of 5, interleaved in one
    /// process, load 11-20) ran 0.87-0.93× the whole-plane time with bands of 4 pooled rows (154 KiB), but
    /// 1.14-1.18× with bands of one (38 KiB, L1): each band ends in a partial 16-pixel block per 8 filters.
    /// The MNIST CNN's conv1 fits in one band (0.94-1.01×).
    /// </summary>
    private const int PooledBandFloats = 40 * 1024;

    /// <summary>Pooled rows of one band of a pooled direct forward pass (<see cref="PooledBandFloats"/>), at least one.</summary>
    public static int PooledBandRows(in WindowGeometry g, in WindowGeometry pool, int filters) =>
        Math.Clamp(PooledBandFloats / (DirectConvolutionFloat.WideOutputLength(filters, 1) * pool.Stride * g.Width), 1, pool.OutputHeight);

    /// <summary>Convolution rows that <paramref name="rows"/> consecutive pooled rows read.</summary>
    public static int BandConvolutionRows(in WindowGeometry pool, int rows) => ((rows - 1) * pool.Stride) + pool.Window;

    /// <summary>
    /// <see cref="Conv2D"/>'s forward pass of one group (spans checked by the caller): each sample into
    /// the wide planes, bias and ReLU in registers, its rows copied into place, any other activation
    /// applied there as the product's epilogue applies it (GELU keeps its pre-activation).
    /// </summary>
    public static void ForwardGroup<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<T> preActivation, int samples, in WindowGeometry g, int filters, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var savesPreActivation = Activations.SavesPreActivation(activation);
        var target = MemoryMarshal.Cast<T, float>(savesPreActivation ? preActivation : y);
        var epilogueActivation = savesPreActivation ? Activation.None : activation;
        int plane = g.OutputPlane, widePlane = DirectConvolutionFloat.WidePlane(g), outputSize = filters * plane;
        var (packed, wide) = RentForward(MemoryMarshal.Cast<T, float>(weight), g, filters, widePlane);
        for (var s = 0; s < samples; s++)
        {
            DirectConvolutionFloat.Forward(MemoryMarshal.Cast<T, float>(x.Slice(s * g.InputSize, g.InputSize)), packed, MemoryMarshal.Cast<T, float>(bias), wide, widePlane, g, filters, relu: epilogueActivation == Activation.ReLU, 0, g.OutputHeight);
            for (var f = 0; f < filters; f++)
            {
                for (var oh = 0; oh < g.OutputHeight; oh++)
                {
                    wide.Slice((f * widePlane) + (oh * g.Width), g.OutputWidth).CopyTo(target[((s * outputSize) + (f * plane) + (oh * g.OutputWidth))..]);
                }
            }

            if (epilogueActivation != Activation.ReLU)
            {
                Activations.ApplyRows(epilogueActivation, target.Slice(s * outputSize, outputSize), filters, plane);
            }
        }

        if (savesPreActivation)
        {
            for (var i = 0; i < samples * outputSize; i++)
            {
                y[i] = Activations.Apply(activation, preActivation[i]);
            }
        }
    }

    /// <summary>
    /// <c>dW</c> of <paramref name="samples"/> samples (float only; the caller has checked <see cref="Runs{T}"/>):
    /// sample <c>s</c>'s gradient of filter <c>f</c> starts at <c>s·sampleStride + f·filterStride</c> of
    /// <paramref name="dz"/>, rows <c>OW</c> long; stored into <paramref name="weightGradient"/>, or added
    /// to it when <paramref name="accumulate"/>.
    /// </summary>
    public static void WeightGradient<T>(ReadOnlySpan<T> dz, int samples, int sampleStride, int filterStride, ReadOnlySpan<T> x, Span<T> weightGradient, in WindowGeometry g, int filters, bool accumulate)
        where T : unmanaged
    {
        var gradient = MemoryMarshal.Cast<T, float>(dz);
        var images = MemoryMarshal.Cast<T, float>(x);
        var laneSums = ThreadScratch<ScratchPurpose.DirectLaneSums, float>.Rent(DirectConvolutionFloat.LaneSumLength(g, filters));
        laneSums.Clear();
        for (var s = 0; s < samples; s++)
        {
            DirectConvolutionFloat.WeightGradient(gradient[(s * sampleStride)..], filterStride, g.OutputWidth, images.Slice(s * g.InputSize, g.InputSize), laneSums, g, filters, 0, g.OutputHeight);
        }

        DirectConvolutionFloat.ReduceLanes(laneSums, MemoryMarshal.Cast<T, float>(weightGradient), g, filters, accumulate);
    }

    /// <summary>
    /// Whether a pooled pair's group computes <c>dW</c> and <c>db</c> with <see cref="PooledWeightGradient"/>:
    /// the float kernels run, the pooling is 2×2 at stride 2 (windows that do not overlap, which
    /// <see cref="PooledMaxFloat.Route"/> routes), and nobody needs the input gradient, which is computed
    /// from the whole convolution gradient (the first layer of a network needs none).
    /// </summary>
    public static bool RunsPooledWeightGradient<T>(bool direct, in WindowGeometry g, in WindowGeometry pool, bool inputGradient)
        where T : unmanaged => Runs<T>(direct, g) && MaxPool2DFloat.Handles(pool) && !inputGradient;

    /// <summary>
    /// Convolution output pixels of one band of <see cref="PooledWeightGradient"/> (at least two rows): the
    /// band's gradient stays in L2 between its routing and the weight-gradient kernel that reads it once per
    /// 8 filters × 3 taps (Chollet's conv1: 6 rows of 150, 115 KiB for its 32 filters).
    /// </summary>
    private const int PooledBandPixels = 1024;

    /// <summary>
    /// <c>dW</c> and <c>db</c> of one group of a pooled ReLU convolution straight from the pooled gradient
    /// (float; the caller has checked <see cref="RunsPooledWeightGradient"/> and the spans): each sample's
    /// convolution gradient is rebuilt a band of pooled rows at a time by <see cref="PooledMaxFloat.Route"/>
    /// into a scratch that stays in cache, its bias sums taken, and its weight-gradient terms added by
    /// <see cref="DirectConvolutionFloat.WeightGradient"/>; the whole gradient plane never reaches memory.
    /// Both gradients are stored (summed over the group's samples in order, bands in order within each).
    /// </summary>
    public static void PooledWeightGradient<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, ReadOnlySpan<int> positions, ReadOnlySpan<T> x, Span<T> weightGradient, Span<T> biasGradient, int samples, in WindowGeometry g, int filters, in WindowGeometry pool)
        where T : unmanaged
    {
        var pooledGradient = MemoryMarshal.Cast<T, float>(dy);
        var pooled = MemoryMarshal.Cast<T, float>(y);
        var images = MemoryMarshal.Cast<T, float>(x);
        var biasSums = MemoryMarshal.Cast<T, float>(biasGradient);
        int width = g.Width, pooledPlane = pool.OutputPlane;
        var bandRows = Math.Clamp(PooledBandPixels / (2 * width), 1, pool.OutputHeight);
        var bandLength = 2 * bandRows * width;
        var band = ThreadScratch<ScratchPurpose.ConvolutionColumns, float>.Rent(filters * bandLength);
        var laneSums = ThreadScratch<ScratchPurpose.DirectLaneSums, float>.Rent(DirectConvolutionFloat.LaneSumLength(g, filters));
        laneSums.Clear();
        biasSums.Clear();
        for (var s = 0; s < samples; s++)
        {
            var image = images.Slice(s * g.InputSize, g.InputSize);
            for (var first = 0; first < pool.OutputHeight; first += bandRows)
            {
                var rows = Math.Min(bandRows, pool.OutputHeight - first);
                for (var f = 0; f < filters; f++)
                {
                    var at = ((s * filters) + f) * pooledPlane;
                    var gradient = band.Slice(f * bandLength, 2 * rows * width);
                    var routed = PooledMaxFloat.Route(pooledGradient.Slice(at, pooledPlane), pooled.Slice(at, pooledPlane), positions.Slice(at, pooledPlane), gradient, width, first, rows, pool);
                    if (!biasSums.IsEmpty)
                    {
                        biasSums[f] += routed;
                    }
                }

                if (!weightGradient.IsEmpty)
                {
                    DirectConvolutionFloat.WeightGradient(band, bandLength, width, image, laneSums, g, filters, 2 * first, 2 * rows);
                }
            }
        }

        if (!weightGradient.IsEmpty)
        {
            DirectConvolutionFloat.ReduceLanes(laneSums, MemoryMarshal.Cast<T, float>(weightGradient), g, filters, accumulate: false);
        }
    }

    /// <summary>One group's forward scratch: the packed weights and one sample's wide output.</summary>
    public readonly ref struct ForwardScratch
    {
        public Span<float> Packed { get; init; }

        public Span<float> Wide { get; init; }

        public void Deconstruct(out Span<float> packed, out Span<float> wide)
        {
            packed = Packed;
            wide = Wide;
        }
    }
}
