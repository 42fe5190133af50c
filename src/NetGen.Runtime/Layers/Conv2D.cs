using System;
using System.Collections.Generic;
using System.Numerics;
using System.Numerics.Tensors;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// A 2-D convolution on NCHW images: <c>y[B, F, OH, OW] = act(W ⊛ x + b)</c> with <c>W</c> stored
/// <c>[filters, channels, kernel, kernel]</c> as in PyTorch's <c>nn.Conv2d</c>. The instance is a view
/// of the layer's parameters; the static <see cref="Forward{T}"/> / <see cref="Backward{T}"/> pair is
/// the numerics the generated code calls.
/// </summary>
public sealed class Conv2D : Layer
{
    /// <summary>Floats of im2col columns one chunk of samples may fill (4 MiB per core): a whole group of a small network's samples, one sample of a large image.</summary>
    private const int ColumnBudget = 1 << 20;

    private readonly TensorView[] _parameters;

    /// <summary>Creates the view of a convolution whose weight starts at <paramref name="weightOffset"/>.</summary>
    /// <param name="name">state_dict prefix, e.g. <c>conv1</c>.</param>
    /// <param name="parameters">The network's flat parameter buffer.</param>
    /// <param name="gradients">The network's flat gradient buffer (same layout); null for a [Frozen] layer, which has none.</param>
    /// <param name="weightOffset">Offset of <c>weight</c> in both buffers.</param>
    /// <param name="biasOffset">Offset of <c>bias</c>, or -1 when the layer has none.</param>
    /// <param name="filters">Output channels.</param>
    /// <param name="channels">Input channels.</param>
    /// <param name="kernel">Kernel height and width.</param>
    public Conv2D(string name, float[] parameters, float[]? gradients, int weightOffset, int biasOffset, int filters, int channels, int kernel)
        : base(name)
    {
        Weight = new TensorView(parameters, weightOffset, filters, channels, kernel, kernel);
        WeightGradient = GradientView(gradients, weightOffset, filters, channels, kernel, kernel);
        if (biasOffset >= 0)
        {
            Bias = new TensorView(parameters, biasOffset, filters);
            BiasGradient = GradientView(gradients, biasOffset, filters);
            _parameters = [Weight, Bias.Value];
        }
        else
        {
            _parameters = [Weight];
        }
    }

    /// <summary>The weight, shape <c>[filters, channels, kernel, kernel]</c>.</summary>
    public TensorView Weight { get; }

    /// <summary>The bias, shape <c>[filters]</c>, or null when the layer was declared without one.</summary>
    public TensorView? Bias { get; }

    /// <summary>The weight's gradient from the last training step.</summary>
    public TensorView WeightGradient { get; }

    /// <summary>The bias's gradient from the last training step, or null without a bias.</summary>
    public TensorView? BiasGradient { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorView> Parameters => _parameters;

    /// <summary>
    /// im2col of a chunk of samples side by side into <c>[channels·k·k, samples·OH·OW]</c> columns, then
    /// one product <c>W[F, channels·k·k] · columns</c> for the whole chunk, with bias and activation
    /// fused into its epilogue, and each sample's <c>[F, OH·OW]</c> block copied into place (a lone
    /// sample's product goes straight to its output). One wide product instead of one per sample
    /// wastes fewer edge tiles. The batch is cut into <see cref="SampleGroups"/> of fixed size, whose
    /// chunks depend on the geometry only; the groups are shared among the cores when there is one
    /// for each (see <see cref="BatchParts"/>). GELU keeps its pre-activation in
    /// <paramref name="preActivation"/> for the backward pass. <see cref="ConvolutionAlgorithm.Direct"/>
    /// (stride 1, unpadded) convolves each sample without im2col (<see cref="DirectConvolutionFloat"/>),
    /// with the same sums in the same order.
    /// </summary>
    /// <exception cref="ArgumentException">The activation is Softmax, <paramref name="algorithm"/> is not Im2Col or a Direct that fits the geometry, or a span is shorter than the batch needs.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<T> preActivation, int batch, in WindowGeometry geometry, int filters, Activation activation, ConvolutionAlgorithm algorithm = ConvolutionAlgorithm.Im2Col)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Activations.IsElementwise(activation))
        {
            throw new ArgumentException($"A convolution's activation must be elementwise, not {activation}.", nameof(activation));
        }

        var g = geometry;
        var direct = DirectConvolution.Asks(algorithm, g);
        var outputSize = filters * g.OutputPlane;
        WindowGeometry.CheckLength(x.Length, batch, g.InputSize, nameof(x));
        WindowGeometry.CheckLength(y.Length, batch, outputSize, nameof(y));
        WindowGeometry.CheckLength(weight.Length, filters, g.PatchSize, nameof(weight));
        if (!bias.IsEmpty)
        {
            WindowGeometry.CheckLength(bias.Length, filters, 1, nameof(bias));
        }

        if (Activations.SavesPreActivation(activation))
        {
            WindowGeometry.CheckLength(preActivation.Length, batch, outputSize, nameof(preActivation));
        }

        ConvolutionParts<T>.Forward(x, weight, bias, y, preActivation, batch, g, filters, activation, direct, BatchParts(batch));
    }

    /// <summary>
    /// Given <paramref name="dz"/>, the gradient of the loss with respect to this layer's
    /// pre-activation, writes <c>dW = Σ_samples dz · columnsᵀ</c>, <c>db = Σ dz</c> over samples and
    /// positions and, when <paramref name="dx"/> is not empty, the gradient with respect to the
    /// previous layer's pre-activation: <c>dx = col2im(Wᵀ · dz) ⊙ act′(saved)</c>. Each group of
    /// <see cref="SampleGroups"/> sums its own <c>dW</c> and <c>db</c> chunk by chunk (a chunk's
    /// <c>dz</c> gathered into <c>[F, samples·OH·OW]</c>, its columns recomputed rather than kept, one
    /// product for <c>dW</c> and one for the columns' gradient); the groups' partials are then added
    /// pairwise, so the sums round alike on any number of cores and in a data-parallel run.
    /// <paramref name="dx"/> is overwritten; the parameter gradients are too, unless
    /// <paramref name="accumulate"/> asks to add to them (a layer applied to several inputs with one
    /// set of weights, whose gradient is the sum over its uses).
    /// <paramref name="algorithm"/> is the one <see cref="Forward{T}"/> ran with; <see cref="ConvolutionAlgorithm.Direct"/>
    /// computes <c>dW</c> without im2col too, 16 lanes of partial sums per weight, so it rounds differently.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="algorithm"/> is not Im2Col or a Direct that fits the geometry, or a span is shorter than the batch needs.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> weightGradient, Span<T> biasGradient, Span<T> dx, int batch, in WindowGeometry geometry, int filters, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool accumulate = false, ConvolutionAlgorithm algorithm = ConvolutionAlgorithm.Im2Col)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = geometry;
        var direct = DirectConvolution.Asks(algorithm, g);
        var outputSize = filters * g.OutputPlane;
        WindowGeometry.CheckLength(dz.Length, batch, outputSize, nameof(dz));
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

        ConvolutionParts<T>.Backward(dz, x, weight, weightGradient, biasGradient, dx, batch, g, filters, previousActivation, previousSaved, accumulate, direct, BatchParts(batch));
    }

    /// <summary>
    /// Cores that take whole sample groups: one per group up to <see cref="Gemm.MaxThreads"/>. Each
    /// then runs its own im2col, products and col2im on one thread, none waiting for another; with a
    /// single group (a batch of at most <see cref="SampleGroups.Size"/>, inference on one image) there is
    /// nothing to share and its products split their tiles over the cores instead.
    /// </summary>
    internal static int BatchParts(int batch) => Math.Min(SampleGroups.Count(batch), Gemm.MaxThreads);

    /// <summary>The forward pass of one group of <paramref name="samples"/> (spans checked by the caller).</summary>
    internal static void ForwardGroup<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<T> preActivation, int samples, in WindowGeometry g, int filters, Activation activation, bool direct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (DirectConvolution.Runs<T>(direct, g))
        {
            DirectConvolution.ForwardGroup(x, weight, bias, y, preActivation, samples, g, filters, activation);
            return;
        }

        var plane = g.OutputPlane;
        var outputSize = filters * plane;
        var savesPreActivation = Activations.SavesPreActivation(activation);
        var target = savesPreActivation ? preActivation : y;
        var epilogue = new GemmEpilogue<T> { RowBias = bias, Activation = savesPreActivation ? Activation.None : activation };
        var chunk = ChunkSamples(g, samples);
        var scratch = ThreadScratch<ScratchPurpose.ConvolutionColumns, T>.Rent((g.PatchSize + (chunk > 1 ? filters : 0)) * chunk * plane);
        for (var first = 0; first < samples; first += chunk)
        {
            var count = Math.Min(chunk, samples - first);
            var n = count * plane;
            var columns = scratch[..(g.PatchSize * n)];
            for (var s = 0; s < count; s++)
            {
                ImageColumns.Im2Col(x.Slice((first + s) * g.InputSize, g.InputSize), columns[(s * plane)..], n, g);
            }

            if (count == 1)
            {
                Gemm.Multiply(false, false, filters, plane, g.PatchSize, weight, columns, target.Slice(first * outputSize, outputSize), false, epilogue);
                continue;
            }

            var products = scratch.Slice(g.PatchSize * n, filters * n);
            Gemm.Multiply(false, false, filters, n, g.PatchSize, weight, columns, products, false, epilogue);
            for (var s = 0; s < count; s++)
            {
                for (var f = 0; f < filters; f++)
                {
                    products.Slice((f * n) + (s * plane), plane).CopyTo(target.Slice(((first + s) * outputSize) + (f * plane), plane));
                }
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
    /// The backward pass of one group of <paramref name="samples"/> (spans checked by the caller):
    /// its own <c>dW</c> and <c>db</c> into <paramref name="weightPartial"/> and
    /// <paramref name="biasPartial"/> (overwritten; either may be empty) and its samples' <c>dx</c>
    /// without the previous activation's derivative.
    /// </summary>
    internal static void BackwardGroup<T>(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> weightPartial, Span<T> biasPartial, Span<T> dx, int samples, in WindowGeometry g, int filters, bool direct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var plane = g.OutputPlane;
        var outputSize = filters * plane;
        if (!biasPartial.IsEmpty)
        {
            for (var f = 0; f < filters; f++)
            {
                var sum = T.Zero;
                for (var s = 0; s < samples; s++)
                {
                    sum += TensorPrimitives.Sum(dz.Slice((s * outputSize) + (f * plane), plane));
                }

                biasPartial[f] = sum;
            }
        }

        if (!weightPartial.IsEmpty && DirectConvolution.RunsWeightGradient<T>(direct, g))
        {
            DirectConvolution.WeightGradient(dz, samples, outputSize, plane, x, weightPartial, g, filters, accumulate: false);
            weightPartial = default;
        }

        if (weightPartial.IsEmpty && dx.IsEmpty)
        {
            return;
        }

        var chunk = ChunkSamples(g, samples);
        var width = chunk * plane;
        var scratch = ThreadScratch<ScratchPurpose.ConvolutionColumns, T>.Rent((2 * g.PatchSize * width) + (chunk > 1 ? filters * width : 0));
        for (var first = 0; first < samples; first += chunk)
        {
            var count = Math.Min(chunk, samples - first);
            var n = count * plane;
            var columns = scratch[..(g.PatchSize * n)];
            var columnsGradient = scratch.Slice(g.PatchSize * width, g.PatchSize * n);
            ReadOnlySpan<T> chunkGradient = dz.Slice(first * outputSize, outputSize);
            if (count > 1)
            {
                var gathered = scratch.Slice(2 * g.PatchSize * width, filters * n);
                for (var s = 0; s < count; s++)
                {
                    for (var f = 0; f < filters; f++)
                    {
                        dz.Slice(((first + s) * outputSize) + (f * plane), plane).CopyTo(gathered[((f * n) + (s * plane))..]);
                    }
                }

                chunkGradient = gathered;
            }

            if (!weightPartial.IsEmpty)
            {
                for (var s = 0; s < count; s++)
                {
                    ImageColumns.Im2Col(x.Slice((first + s) * g.InputSize, g.InputSize), columns[(s * plane)..], n, g);
                }

                Gemm.Multiply(false, true, filters, g.PatchSize, n, chunkGradient, columns, weightPartial, accumulate: first > 0);
            }

            if (!dx.IsEmpty)
            {
                Gemm.Multiply(true, false, g.PatchSize, n, filters, weight, chunkGradient, columnsGradient, false);
                for (var s = 0; s < count; s++)
                {
                    ImageColumns.Col2Im(columnsGradient[(s * plane)..], n, dx.Slice((first + s) * g.InputSize, g.InputSize), g);
                }
            }
        }
    }

    /// <summary>
    /// Samples per shared product within a group: as many as keep one chunk's columns within
    /// <see cref="ColumnBudget"/> floats, spread evenly over the chunks the group needs. It depends on
    /// the geometry and the group's size only, never on the batch, so a group's sums are the same in
    /// any batch that holds it.
    /// </summary>
    internal static int ChunkSamples(in WindowGeometry g, int samples)
    {
        var most = Math.Clamp(ColumnBudget / ((long)g.PatchSize * g.OutputPlane), 1, samples);
        var chunks = (samples + most - 1) / most;
        return (int)((samples + chunks - 1) / chunks);
    }
}
