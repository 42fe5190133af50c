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
    /// <summary>Floats of im2col columns one chunk of samples may fill (4 MiB): a few chunks of a small network's batch, one sample of a large image.</summary>
    private const int ColumnBudget = 1 << 20;

    private readonly TensorView[] _parameters;

    /// <summary>Creates the view of a convolution whose weight starts at <paramref name="weightOffset"/>.</summary>
    /// <param name="name">state_dict prefix, e.g. <c>conv1</c>.</param>
    /// <param name="parameters">The network's flat parameter buffer.</param>
    /// <param name="gradients">The network's flat gradient buffer (same layout).</param>
    /// <param name="weightOffset">Offset of <c>weight</c> in both buffers.</param>
    /// <param name="biasOffset">Offset of <c>bias</c>, or -1 when the layer has none.</param>
    /// <param name="filters">Output channels.</param>
    /// <param name="channels">Input channels.</param>
    /// <param name="kernel">Kernel height and width.</param>
    public Conv2D(string name, float[] parameters, float[] gradients, int weightOffset, int biasOffset, int filters, int channels, int kernel)
        : base(name)
    {
        Weight = new TensorView(parameters, weightOffset, filters, channels, kernel, kernel);
        WeightGradient = new TensorView(gradients, weightOffset, filters, channels, kernel, kernel);
        if (biasOffset >= 0)
        {
            Bias = new TensorView(parameters, biasOffset, filters);
            BiasGradient = new TensorView(gradients, biasOffset, filters);
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
    /// wastes fewer edge tiles and is large enough to share among threads. GELU keeps its
    /// pre-activation in <paramref name="preActivation"/> for the backward pass.
    /// </summary>
    /// <exception cref="ArgumentException">The activation is Softmax, or a span is shorter than the batch needs.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<T> preActivation, int batch, in WindowGeometry geometry, int filters, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Activations.IsElementwise(activation))
        {
            throw new ArgumentException($"A convolution's activation must be elementwise, not {activation}.", nameof(activation));
        }

        var g = geometry;
        var plane = g.OutputPlane;
        var outputSize = filters * plane;
        WindowGeometry.CheckLength(x.Length, batch, g.InputSize, nameof(x));
        WindowGeometry.CheckLength(y.Length, batch, outputSize, nameof(y));
        var savesPreActivation = Activations.SavesPreActivation(activation);
        var target = savesPreActivation ? preActivation : y;
        var epilogue = new GemmEpilogue<T> { RowBias = bias, Activation = savesPreActivation ? Activation.None : activation };
        var chunk = ChunkSamples(g, batch);
        var scratch = ConvolutionWorkspace<T>.Rent((g.PatchSize + (chunk > 1 ? filters : 0)) * chunk * plane);
        for (var first = 0; first < batch; first += chunk)
        {
            var samples = Math.Min(chunk, batch - first);
            var n = samples * plane;
            var columns = scratch[..(g.PatchSize * n)];
            for (var s = 0; s < samples; s++)
            {
                ImageColumns.Im2Col(x.Slice((first + s) * g.InputSize, g.InputSize), columns[(s * plane)..], n, g);
            }

            if (samples == 1)
            {
                Gemm.Multiply(false, false, filters, plane, g.PatchSize, weight, columns, target.Slice(first * outputSize, outputSize), false, epilogue);
                continue;
            }

            var products = scratch.Slice(g.PatchSize * n, filters * n);
            Gemm.Multiply(false, false, filters, n, g.PatchSize, weight, columns, products, false, epilogue);
            for (var s = 0; s < samples; s++)
            {
                for (var f = 0; f < filters; f++)
                {
                    products.Slice((f * n) + (s * plane), plane).CopyTo(target.Slice(((first + s) * outputSize) + (f * plane), plane));
                }
            }
        }

        if (savesPreActivation)
        {
            for (var i = 0; i < batch * outputSize; i++)
            {
                y[i] = Activations.Apply(activation, preActivation[i]);
            }
        }
    }

    /// <summary>
    /// Given <paramref name="dz"/>, the gradient of the loss with respect to this layer's
    /// pre-activation, writes <c>dW = Σ_samples dz · columnsᵀ</c>, <c>db = Σ dz</c> over samples and
    /// positions and, when <paramref name="dx"/> is not empty, the gradient with respect to the
    /// previous layer's pre-activation: <c>dx = col2im(Wᵀ · dz) ⊙ act′(saved)</c>. Works chunk by chunk
    /// as <see cref="Forward{T}"/> does: the chunk's <c>dz</c> gathered into <c>[F, samples·OH·OW]</c>,
    /// its columns recomputed rather than kept (memory does not grow with the batch), one product
    /// for <c>dW</c> and one for the columns' gradient. <paramref name="dx"/> is overwritten; the
    /// parameter gradients are too, unless <paramref name="accumulate"/> asks to add to them (a layer
    /// applied to several inputs with one set of weights, whose gradient is the sum over its uses).
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the batch needs.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> weightGradient, Span<T> biasGradient, Span<T> dx, int batch, in WindowGeometry geometry, int filters, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = geometry;
        var plane = g.OutputPlane;
        var outputSize = filters * plane;
        WindowGeometry.CheckLength(dz.Length, batch, outputSize, nameof(dz));
        WindowGeometry.CheckLength(x.Length, batch, g.InputSize, nameof(x));
        if (!biasGradient.IsEmpty)
        {
            for (var f = 0; f < filters; f++)
            {
                var sum = T.Zero;
                for (var b = 0; b < batch; b++)
                {
                    sum += TensorPrimitives.Sum(dz.Slice((b * outputSize) + (f * plane), plane));
                }

                biasGradient[f] = accumulate ? biasGradient[f] + sum : sum;
            }
        }

        if (weightGradient.IsEmpty && dx.IsEmpty)
        {
            return;
        }

        var chunk = ChunkSamples(g, batch);
        var width = chunk * plane;
        var scratch = ConvolutionWorkspace<T>.Rent((2 * g.PatchSize * width) + (chunk > 1 ? filters * width : 0));
        for (var first = 0; first < batch; first += chunk)
        {
            var samples = Math.Min(chunk, batch - first);
            var n = samples * plane;
            var columns = scratch[..(g.PatchSize * n)];
            var columnsGradient = scratch.Slice(g.PatchSize * width, g.PatchSize * n);
            ReadOnlySpan<T> chunkGradient = dz.Slice(first * outputSize, outputSize);
            if (samples > 1)
            {
                var gathered = scratch.Slice(2 * g.PatchSize * width, filters * n);
                for (var s = 0; s < samples; s++)
                {
                    for (var f = 0; f < filters; f++)
                    {
                        dz.Slice(((first + s) * outputSize) + (f * plane), plane).CopyTo(gathered[((f * n) + (s * plane))..]);
                    }
                }

                chunkGradient = gathered;
            }

            if (!weightGradient.IsEmpty)
            {
                for (var s = 0; s < samples; s++)
                {
                    ImageColumns.Im2Col(x.Slice((first + s) * g.InputSize, g.InputSize), columns[(s * plane)..], n, g);
                }

                Gemm.Multiply(false, true, filters, g.PatchSize, n, chunkGradient, columns, weightGradient, accumulate: accumulate || first > 0);
            }

            if (!dx.IsEmpty)
            {
                Gemm.Multiply(true, false, g.PatchSize, n, filters, weight, chunkGradient, columnsGradient, false);
                for (var s = 0; s < samples; s++)
                {
                    ImageColumns.Col2Im(columnsGradient[(s * plane)..], n, dx.Slice((first + s) * g.InputSize, g.InputSize), g);
                }
            }
        }

        if (!dx.IsEmpty && previousActivation != Activation.None)
        {
            Activations.Backward(previousActivation, dx, previousSaved, batch, g.InputSize);
        }
    }

    /// <summary>
    /// Samples per shared product: as many as keep one chunk's columns within
    /// <see cref="ColumnBudget"/> floats, spread evenly over the chunks the batch needs.
    /// </summary>
    private static int ChunkSamples(in WindowGeometry g, int batch)
    {
        var most = Math.Clamp(ColumnBudget / ((long)g.PatchSize * g.OutputPlane), 1, batch);
        var chunks = (batch + most - 1) / most;
        return (int)((batch + chunks - 1) / chunks);
    }
}
