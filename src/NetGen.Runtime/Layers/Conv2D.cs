using System;
using System.Collections.Generic;
using System.Numerics;
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
    /// Per sample: im2col of the image into <c>[channels·k·k, OH·OW]</c> columns, then one product
    /// <c>W[F, channels·k·k] · columns</c> straight into the sample's output <c>[F, OH·OW]</c>, with
    /// bias and activation fused into its epilogue. GELU keeps its pre-activation in
    /// <paramref name="preActivation"/> for the backward pass.
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
        var outputSize = filters * g.OutputPlane;
        WindowGeometry.CheckLength(x.Length, batch, g.InputSize, nameof(x));
        WindowGeometry.CheckLength(y.Length, batch, outputSize, nameof(y));
        var savesPreActivation = Activations.SavesPreActivation(activation);
        var columns = g.IsPointwise ? default : ConvolutionWorkspace<T>.Rent(g.PatchSize * g.OutputPlane);
        for (var b = 0; b < batch; b++)
        {
            var image = x.Slice(b * g.InputSize, g.InputSize);
            if (!g.IsPointwise)
            {
                ImageColumns.Im2Col(image, columns, g);
            }

            var patches = g.IsPointwise ? image : columns;
            var output = y.Slice(b * outputSize, outputSize);
            if (savesPreActivation)
            {
                var pre = preActivation.Slice(b * outputSize, outputSize);
                Gemm.Multiply(false, false, filters, g.OutputPlane, g.PatchSize, weight, patches, pre, false, new GemmEpilogue<T> { RowBias = bias });
                for (var i = 0; i < outputSize; i++)
                {
                    output[i] = Activations.Apply(activation, pre[i]);
                }
            }
            else
            {
                Gemm.Multiply(false, false, filters, g.OutputPlane, g.PatchSize, weight, patches, output, false, new GemmEpilogue<T> { RowBias = bias, Activation = activation });
            }
        }
    }

    /// <summary>
    /// Given <paramref name="dz"/>, the gradient of the loss with respect to this layer's
    /// pre-activation, writes <c>dW = Σ_samples dz · columnsᵀ</c>, <c>db = Σ dz</c> over samples and
    /// positions and, when <paramref name="dx"/> is not empty, the gradient with respect to the
    /// previous layer's pre-activation: <c>dx = col2im(Wᵀ · dz) ⊙ act′(saved)</c>. Columns are
    /// recomputed per sample rather than kept, so memory does not grow with the batch. Gradients are
    /// overwritten, not accumulated across calls.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the batch needs.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> weightGradient, Span<T> biasGradient, Span<T> dx, int batch, in WindowGeometry geometry, int filters, Activation previousActivation, ReadOnlySpan<T> previousSaved)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = geometry;
        var outputSize = filters * g.OutputPlane;
        var columnsSize = g.PatchSize * g.OutputPlane;
        WindowGeometry.CheckLength(dz.Length, batch, outputSize, nameof(dz));
        WindowGeometry.CheckLength(x.Length, batch, g.InputSize, nameof(x));
        var scratch = g.IsPointwise ? default : ConvolutionWorkspace<T>.Rent(2 * columnsSize);
        var columns = g.IsPointwise ? default : scratch[..columnsSize];
        var columnsGradient = g.IsPointwise ? default : scratch[columnsSize..];
        if (!biasGradient.IsEmpty)
        {
            biasGradient[..filters].Clear();
        }

        for (var b = 0; b < batch; b++)
        {
            var sampleGradient = dz.Slice(b * outputSize, outputSize);
            var image = x.Slice(b * g.InputSize, g.InputSize);
            if (!weightGradient.IsEmpty)
            {
                if (!g.IsPointwise)
                {
                    ImageColumns.Im2Col(image, columns, g);
                }

                Gemm.Multiply(false, true, filters, g.PatchSize, g.OutputPlane, sampleGradient, g.IsPointwise ? image : columns, weightGradient, accumulate: b > 0);
            }

            if (!biasGradient.IsEmpty)
            {
                AddRowSums(sampleGradient, biasGradient, filters, g.OutputPlane);
            }

            if (dx.IsEmpty)
            {
                continue;
            }

            var imageGradient = dx.Slice(b * g.InputSize, g.InputSize);
            if (g.IsPointwise)
            {
                Gemm.Multiply(true, false, g.PatchSize, g.OutputPlane, filters, weight, sampleGradient, imageGradient, false);
            }
            else
            {
                Gemm.Multiply(true, false, g.PatchSize, g.OutputPlane, filters, weight, sampleGradient, columnsGradient, false);
                ImageColumns.Col2Im(columnsGradient, imageGradient, g);
            }

            if (previousActivation != Activation.None)
            {
                Activations.Backward(previousActivation, imageGradient, previousSaved.Slice(b * g.InputSize, g.InputSize), 1, g.InputSize);
            }
        }
    }

    /// <summary><c>sums[i] += Σ_j values[i, j]</c>.</summary>
    private static void AddRowSums<T>(ReadOnlySpan<T> values, Span<T> sums, int rows, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < rows; i++)
        {
            var sum = T.Zero;
            foreach (var v in values.Slice(i * width, width))
            {
                sum += v;
            }

            sums[i] += sum;
        }
    }
}
