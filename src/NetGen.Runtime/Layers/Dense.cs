using System;
using System.Collections.Generic;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// A fully connected layer: <c>y[B, out] = act(x[B, in] · Wᵀ + b)</c>, with <c>W</c> stored
/// <c>[out, in]</c> as in PyTorch's <c>nn.Linear</c>. The instance is a view of the layer's
/// parameters; the static <see cref="Forward{T}"/> / <see cref="Backward{T}"/> pair is the numerics
/// the generated code calls.
/// </summary>
public sealed class Dense : Layer
{
    private readonly TensorView[] _parameters;

    /// <summary>Creates the view of a dense layer whose weight starts at <paramref name="weightOffset"/>.</summary>
    /// <param name="name">state_dict prefix, e.g. <c>hidden</c>.</param>
    /// <param name="parameters">The network's flat parameter buffer.</param>
    /// <param name="gradients">The network's flat gradient buffer (same layout); null for a [Frozen] layer, which has none.</param>
    /// <param name="weightOffset">Offset of <c>weight</c> in both buffers.</param>
    /// <param name="biasOffset">Offset of <c>bias</c>, or -1 when the layer has none.</param>
    /// <param name="units">Output features.</param>
    /// <param name="inputs">Input features.</param>
    public Dense(string name, float[] parameters, float[]? gradients, int weightOffset, int biasOffset, int units, int inputs)
        : base(name)
    {
        Weight = new TensorView(parameters, weightOffset, units, inputs);
        WeightGradient = GradientView(gradients, weightOffset, units, inputs);
        if (biasOffset >= 0)
        {
            Bias = new TensorView(parameters, biasOffset, units);
            BiasGradient = GradientView(gradients, biasOffset, units);
            _parameters = [Weight, Bias.Value];
        }
        else
        {
            _parameters = [Weight];
        }
    }

    /// <summary>The weight, shape <c>[units, inputs]</c>.</summary>
    public TensorView Weight { get; }

    /// <summary>The bias, shape <c>[units]</c>, or null when the layer was declared without one.</summary>
    public TensorView? Bias { get; }

    /// <summary>The weight's gradient from the last training step.</summary>
    public TensorView WeightGradient { get; }

    /// <summary>The bias's gradient from the last training step, or null without a bias.</summary>
    public TensorView? BiasGradient { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorView> Parameters => _parameters;

    /// <summary>
    /// <c>y = act(x · Wᵀ + b)</c>, with bias and activation fused into the matrix product's epilogue.
    /// GELU keeps its pre-activation in <paramref name="preActivation"/> for the backward pass;
    /// Softmax, a whole-row operation, runs after the product.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<T> preActivation, int batch, int inputs, int units, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Activations.SavesPreActivation(activation))
        {
            Gemm.Multiply(false, true, batch, units, inputs, x, weight, preActivation, false, new GemmEpilogue<T> { ColumnBias = bias });
            for (var i = 0; i < batch * units; i++)
            {
                y[i] = Activations.Apply(activation, preActivation[i]);
            }

            return;
        }

        var fused = Activations.IsElementwise(activation) ? activation : Activation.None;
        Gemm.Multiply(false, true, batch, units, inputs, x, weight, y, false, new GemmEpilogue<T> { ColumnBias = bias, Activation = fused });
        if (fused != activation)
        {
            Activations.ApplyRows(activation, y, batch, units);
        }
    }

    /// <summary>
    /// Given <paramref name="dz"/>, the gradient of the loss with respect to this layer's
    /// pre-activation, writes <c>dW = dzᵀ · x</c>, <c>db = Σ_batch dz</c> (each summed per group of
    /// <see cref="SampleGroups"/>, the groups' partials added pairwise, so that a data-parallel run's
    /// shards round as one process does) and, when
    /// <paramref name="dx"/> is not empty, the gradient with respect to the previous layer's
    /// pre-activation: <c>dx = (dz · W) ⊙ act′(saved)</c>, the previous layer's activation backward
    /// fused into the product's epilogue. <paramref name="dx"/> is overwritten; the parameter gradients
    /// are too, unless <paramref name="accumulate"/> asks to add to them (a layer applied to several
    /// inputs with one set of weights, whose gradient is the sum over its uses).
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> weightGradient, Span<T> biasGradient, Span<T> dx, int batch, int inputs, int units, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!weightGradient.IsEmpty || !biasGradient.IsEmpty)
        {
            GroupedWeightGradient<T>.Compute(dz, x, weightGradient.IsEmpty ? default : weightGradient[..(units * inputs)], biasGradient.IsEmpty ? default : biasGradient[..units], batch, inputs, units, accumulate);
        }

        if (dx.IsEmpty)
        {
            return;
        }

        if (Activations.IsElementwise(previousActivation))
        {
            Gemm.Multiply(false, false, batch, inputs, units, dz, weight, dx, false, new GemmEpilogue<T> { DerivativeOf = previousActivation, DerivativeSaved = previousSaved });
        }
        else
        {
            Gemm.Multiply(false, false, batch, inputs, units, dz, weight, dx, false);
            Activations.SoftmaxBackwardRows(dx, previousSaved, batch, inputs);
        }
    }
}
