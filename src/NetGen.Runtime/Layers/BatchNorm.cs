using System;
using System.Collections.Generic;
using System.Numerics;
using NetGen.Kernels;

namespace NetGen;

/// <summary>
/// Batch normalisation with PyTorch's semantics (<c>nn.BatchNorm1d</c> on <c>[B, F]</c>,
/// <c>nn.BatchNorm2d</c> on NCHW <c>[B, C, H, W]</c>): per channel, training normalises with the
/// batch mean and biased variance and moves the running statistics towards the batch's
/// (unbiased variance) by <c>momentum</c>; inference normalises with the running statistics.
/// Then <c>y = act(γ · x̂ + β)</c>.
/// </summary>
/// <remarks>
/// Values are addressed as <c>[batch, channels, spatial]</c> with <c>spatial = H · W</c> (1 for
/// vectors). γ and β are trainable parameters; the running statistics live in the network's
/// separate <see cref="INetwork.Buffers"/>, which optimizers never see. Training updates the
/// running statistics even when the layer is frozen, as PyTorch does in train mode.
/// </remarks>
public sealed class BatchNorm : Layer
{
    private readonly TensorView[] _parameters;

    /// <summary>Creates the view of a batch normalisation over <paramref name="channels"/> channels.</summary>
    /// <param name="name">state_dict prefix, e.g. <c>norm</c>.</param>
    /// <param name="parameters">The network's flat parameter buffer.</param>
    /// <param name="gradients">The network's flat gradient buffer (same layout); null for a [Frozen] layer, which has none.</param>
    /// <param name="buffers">The network's flat buffer of non-trainable state.</param>
    /// <param name="weightOffset">Offset of γ (<c>weight</c>) in the parameters; β (<c>bias</c>) follows it.</param>
    /// <param name="runningMeanOffset">Offset of <c>running_mean</c> in the buffers; <c>running_var</c> follows it.</param>
    /// <param name="channels">Normalised channels (features for a vector input).</param>
    public BatchNorm(string name, float[] parameters, float[]? gradients, float[] buffers, int weightOffset, int runningMeanOffset, int channels)
        : base(name)
    {
        Weight = new TensorView(parameters, weightOffset, channels);
        Bias = new TensorView(parameters, weightOffset + channels, channels);
        WeightGradient = GradientView(gradients, weightOffset, channels);
        BiasGradient = GradientView(gradients, weightOffset + channels, channels);
        RunningMean = new TensorView(buffers, runningMeanOffset, channels);
        RunningVar = new TensorView(buffers, runningMeanOffset + channels, channels);
        _parameters = [Weight, Bias];
    }

    /// <summary>γ, shape <c>[channels]</c>.</summary>
    public TensorView Weight { get; }

    /// <summary>β, shape <c>[channels]</c>.</summary>
    public TensorView Bias { get; }

    /// <summary>γ's gradient from the last training step.</summary>
    public TensorView WeightGradient { get; }

    /// <summary>β's gradient from the last training step.</summary>
    public TensorView BiasGradient { get; }

    /// <summary>The running mean (a buffer, not a parameter).</summary>
    public TensorView RunningMean { get; }

    /// <summary>The running (unbiased) variance (a buffer, not a parameter).</summary>
    public TensorView RunningVar { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<TensorView> Parameters => _parameters;

    /// <summary>
    /// Training forward: batch statistics per channel, the running statistics' update, and
    /// <c>y = act(γ · x̂ + β)</c>. Saves <c>x̂</c> in <paramref name="normalized"/> and each channel's
    /// <c>1 / √(var + ε)</c> in <paramref name="inverseStd"/> for backward; GELU also keeps its
    /// pre-activation.
    /// </summary>
    public static void ForwardTraining<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> runningMean, Span<T> runningVar,
        Span<T> y, Span<T> preActivation, Span<T> normalized, Span<T> inverseStd,
        int batch, int channels, int spatial, double momentum, double epsilon, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var count = batch * spatial;
        if (count < 2)
        {
            throw new InvalidOperationException($"BatchNorm needs more than one value per channel in training, but the batch has {batch} sample(s) of {spatial} value(s) per channel; train with a batch of at least 2.");
        }

        BatchNormParts<T>.ForwardTraining(x, gamma, beta, runningMean, runningVar, y, preActivation, normalized, inverseStd, batch, channels, spatial, momentum, epsilon, activation);
    }

    /// <summary><see cref="ForwardTraining{T}"/> of the channels <c>[first, end)</c>: each channel's statistics are one thread's, in one order.</summary>
    internal static void ForwardTrainingChannels<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> runningMean, Span<T> runningVar,
        Span<T> y, Span<T> preActivation, Span<T> normalized, Span<T> inverseStd,
        int batch, int channels, int spatial, double momentum, double epsilon, Activation activation, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = T.CreateChecked(batch * spatial);
        var m = T.CreateChecked(momentum);
        for (var c = first; c < end; c++)
        {
            // Two passes (mean, then squared deviations) keep the float32 variance accurate.
            var sum = T.Zero;
            for (var b = 0; b < batch; b++)
            {
                foreach (var v in x.Slice(((b * channels) + c) * spatial, spatial))
                {
                    sum += v;
                }
            }

            var mean = sum / n;
            var squares = T.Zero;
            for (var b = 0; b < batch; b++)
            {
                foreach (var v in x.Slice(((b * channels) + c) * spatial, spatial))
                {
                    squares += (v - mean) * (v - mean);
                }
            }

            var variance = squares / n;
            var invStd = T.One / T.Sqrt(variance + T.CreateChecked(epsilon));
            inverseStd[c] = invStd;
            runningMean[c] = ((T.One - m) * runningMean[c]) + (m * mean);
            runningVar[c] = ((T.One - m) * runningVar[c]) + (m * squares / (n - T.One));
            for (var b = 0; b < batch; b++)
            {
                var start = ((b * channels) + c) * spatial;
                for (var i = start; i < start + spatial; i++)
                {
                    var xhat = (x[i] - mean) * invStd;
                    normalized[i] = xhat;
                    var z = (gamma[c] * xhat) + beta[c];
                    if (!preActivation.IsEmpty)
                    {
                        preActivation[i] = z;
                    }

                    y[i] = Activations.Apply(activation, z);
                }
            }
        }
    }

    /// <summary>
    /// Inference forward with the running statistics, in one pass: per channel the affine map
    /// <c>scale = γ / √(running_var + ε)</c>, <c>shift = β − running_mean · scale</c>, then
    /// <c>y = act(x · scale + shift)</c>.
    /// </summary>
    public static void ForwardInference<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVar,
        Span<T> y, Span<T> preActivation, int batch, int channels, int spatial, double epsilon, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        BatchNormParts<T>.ForwardInference(x, gamma, beta, runningMean, runningVar, y, preActivation, batch, channels, spatial, epsilon, activation);

    /// <summary><see cref="ForwardInference{T}"/> of the channels <c>[first, end)</c>.</summary>
    internal static void ForwardInferenceChannels<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVar,
        Span<T> y, Span<T> preActivation, int batch, int channels, int spatial, double epsilon, Activation activation, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var c = first; c < end; c++)
        {
            var scale = gamma[c] / T.Sqrt(runningVar[c] + T.CreateChecked(epsilon));
            var shift = beta[c] - (runningMean[c] * scale);
            for (var b = 0; b < batch; b++)
            {
                var start = ((b * channels) + c) * spatial;
                for (var i = start; i < start + spatial; i++)
                {
                    var z = (x[i] * scale) + shift;
                    if (!preActivation.IsEmpty)
                    {
                        preActivation[i] = z;
                    }

                    y[i] = Activations.Apply(activation, z);
                }
            }
        }
    }

    /// <summary>
    /// Given <paramref name="dz"/> (gradient of the pre-activation), writes <c>dγ = Σ dz · x̂</c> and
    /// <c>dβ = Σ dz</c> (skipped when their spans are empty: frozen; added to what they hold when
    /// <paramref name="accumulate"/>, for a layer applied to several inputs) and, when <paramref name="dx"/>
    /// is not empty, <c>dx = γ / (N √(var + ε)) · (N dz − Σ dz − x̂ Σ dz · x̂) ⊙ act′(saved)</c>, the
    /// producer's activation derivative fused into the same pass.
    /// </summary>
    public static void Backward<T>(
        ReadOnlySpan<T> dz, ReadOnlySpan<T> normalized, ReadOnlySpan<T> inverseStd, ReadOnlySpan<T> gamma,
        Span<T> gammaGradient, Span<T> betaGradient, Span<T> dx,
        int batch, int channels, int spatial, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        BatchNormParts<T>.Backward(dz, normalized, inverseStd, gamma, gammaGradient, betaGradient, dx, batch, channels, spatial, previousActivation, previousSaved, accumulate);

        // A row-wise activation (Softmax) needs the whole row of dx, which spans every channel: after the parts.
        if (!dx.IsEmpty && !Activations.IsElementwise(previousActivation))
        {
            Activations.Backward(previousActivation, dx, previousSaved, batch, channels * spatial);
        }
    }

    /// <summary><see cref="Backward{T}"/> of the channels <c>[first, end)</c>, without a row-wise producer's Jacobian.</summary>
    internal static void BackwardChannels<T>(
        ReadOnlySpan<T> dz, ReadOnlySpan<T> normalized, ReadOnlySpan<T> inverseStd, ReadOnlySpan<T> gamma,
        Span<T> gammaGradient, Span<T> betaGradient, Span<T> dx,
        int batch, int channels, int spatial, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool accumulate, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = T.CreateChecked(batch * spatial);
        // None's derivative is 1; a row-wise activation (Softmax) takes its Jacobian after all channels are done.
        var fusesDerivative = previousActivation != Activation.None && Activations.IsElementwise(previousActivation);
        for (var c = first; c < end; c++)
        {
            T sumDz = T.Zero, sumDzXhat = T.Zero;
            for (var b = 0; b < batch; b++)
            {
                var start = ((b * channels) + c) * spatial;
                for (var i = start; i < start + spatial; i++)
                {
                    sumDz += dz[i];
                    sumDzXhat += dz[i] * normalized[i];
                }
            }

            if (!gammaGradient.IsEmpty)
            {
                gammaGradient[c] = accumulate ? gammaGradient[c] + sumDzXhat : sumDzXhat;
                betaGradient[c] = accumulate ? betaGradient[c] + sumDz : sumDz;
            }

            if (dx.IsEmpty)
            {
                continue;
            }

            var k = gamma[c] * inverseStd[c] / n;
            for (var b = 0; b < batch; b++)
            {
                var start = ((b * channels) + c) * spatial;
                for (var i = start; i < start + spatial; i++)
                {
                    var g = k * ((n * dz[i]) - sumDz - (normalized[i] * sumDzXhat));
                    dx[i] = fusesDerivative ? g * Activations.Derivative(previousActivation, previousSaved[i]) : g;
                }
            }
        }
    }
}
