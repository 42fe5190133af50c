using System;
using System.Numerics;
using NetGen.Gpu;

namespace NetGen.Optimizers;

/// <summary>
/// RMSprop as torch.optim.RMSprop: <c>g = g + wd·p</c>, <c>v = α·v + (1 − α)·g²</c>; centered:
/// <c>m = α·m + (1 − α)·g</c> and <c>avg = √(v − m²) + ε</c>, else <c>avg = √v + ε</c>; with momentum
/// <c>buf = μ·buf + g / avg</c> and <c>p = p − lr·buf</c>, else <c>p = p − lr·g / avg</c>.
/// </summary>
public sealed class RmsProp : Optimizer, IDeviceUpdate
{
    /// <summary>
    /// <see cref="Kernel"/> on a device, operation for operation (<c>FMA</c> where <see cref="Lanes.AddScaled"/>
    /// fuses), over <c>[offset, offset + count)</c>. A buffer the settings do not keep (momentum,
    /// centering) is never read.
    /// </summary>
    internal const string DeviceKernel = """

        KERNEL void rmsprop_update(GLOBAL float* p, GLOBAL const float* g, GLOBAL float* squareAvg, GLOBAL float* momentumBuffer, GLOBAL float* gradAvg, int offset, int count, int hasMomentum, int centered, float weightDecay, float alpha, float oneMinusAlpha, float epsilon, float momentum, float negativeLearningRate)
        {
            int i = GLOBAL_ID(0);
            if (i >= count) return;
            i += offset;
            float gi = weightDecay != 0.0f ? FMA(weightDecay, p[i], g[i]) : g[i];
            float v = squareAvg[i] * alpha + oneMinusAlpha * gi * gi;
            squareAvg[i] = v;
            float avg;
            if (centered)
            {
                float m = FMA(oneMinusAlpha, gi, gradAvg[i] * alpha);
                gradAvg[i] = m;
                avg = SQRT(v - m * m);
            }
            else
            {
                avg = SQRT(v);
            }
            avg += epsilon;
            if (hasMomentum)
            {
                float b = momentumBuffer[i] * momentum + gi / avg;
                momentumBuffer[i] = b;
                p[i] = FMA(negativeLearningRate, b, p[i]);
            }
            else
            {
                p[i] += negativeLearningRate * gi / avg;
            }
        }

        """;

    private readonly float[] squareAverage;
    private readonly float[]? momentumBuffer;
    private readonly float[]? gradientAverage;

    /// <summary>Creates RMSprop for <paramref name="parameterCount"/> parameters, with PyTorch's defaults.</summary>
    public RmsProp(int parameterCount, float learningRate = 0.01f, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : base(parameterCount, learningRate)
    {
        Alpha = DecayRate(alpha, nameof(alpha));
        Epsilon = NonNegative(epsilon, nameof(epsilon));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        Momentum = NonNegative(momentum, nameof(momentum));
        Centered = centered;
        squareAverage = AddState("square_avg");
        if (Momentum > 0)
        {
            momentumBuffer = AddState("momentum_buffer");
        }

        if (centered)
        {
            gradientAverage = AddState("grad_avg");
        }
    }

    /// <summary>Creates RMSprop for all parameters of <paramref name="network"/>.</summary>
    public RmsProp(INetwork network, float learningRate = 0.01f, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0, double momentum = 0, bool centered = false)
        : this(CountOf(network), learningRate, alpha, epsilon, weightDecay, momentum, centered)
    {
    }

    /// <summary>Smoothing constant of the squared-gradient average.</summary>
    public double Alpha { get; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Epsilon { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Momentum factor (0: none).</summary>
    public double Momentum { get; }

    /// <summary>Whether the second moment is centered by the running mean gradient.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    string IDeviceUpdate.Kernel => "rmsprop_update";

    /// <inheritdoc/>
    int IDeviceUpdate.WriteArguments(GpuBuffer parameters, GpuBuffer gradients, ReadOnlySpan<GpuBuffer> state, ParameterRange range, Span<GpuArg> arguments)
    {
        var s = Scalars();
        // State is square_avg, then momentum_buffer and grad_avg when kept (AddState's order); an
        // absent one is passed as square_avg, which the kernel's flags keep it from reading as such.
        var next = 1;
        arguments[0] = parameters;
        arguments[1] = gradients;
        arguments[2] = state[0];
        arguments[3] = momentumBuffer is null ? state[0] : state[next++];
        arguments[4] = gradientAverage is null ? state[0] : state[next];
        arguments[5] = range.Offset;
        arguments[6] = range.Length;
        arguments[7] = momentumBuffer is null ? 0 : 1;
        arguments[8] = Centered ? 1 : 0;
        arguments[9] = s.WeightDecay;
        arguments[10] = s.Alpha;
        arguments[11] = s.OneMinusAlpha;
        arguments[12] = s.Epsilon;
        arguments[13] = s.Momentum;
        arguments[14] = s.NegativeLearningRate;
        return 15;
    }

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset)
    {
        var s = Scalars();
        var c = new Coefficients(
            new Vector<float>(s.WeightDecay),
            new Vector<float>(s.Alpha),
            new Vector<float>(s.OneMinusAlpha),
            new Vector<float>(s.Epsilon),
            new Vector<float>(s.Momentum),
            new Vector<float>(s.NegativeLearningRate));
        var squares = StateSlice(squareAverage, offset, parameters.Length);
        var momentum = StateSlice(momentumBuffer, offset, parameters.Length);
        var average = StateSlice(gradientAverage, offset, parameters.Length);
        var n = parameters.Length;
        var i = 0;
        for (; i <= n - Lanes.Width; i += Lanes.Width)
        {
            var p = Lanes.Load(parameters, i);
            var v = Lanes.Load(squares, i);
            var b = momentum.IsEmpty ? default : Lanes.Load(momentum, i);
            var m = average.IsEmpty ? default : Lanes.Load(average, i);
            Kernel(ref p, Lanes.Load(gradients, i), ref v, ref b, ref m, c);
            Lanes.Store(p, parameters, i);
            Lanes.Store(v, squares, i);
            if (!momentum.IsEmpty)
            {
                Lanes.Store(b, momentum, i);
            }

            if (!average.IsEmpty)
            {
                Lanes.Store(m, average, i);
            }
        }

        for (; i < n; i++)
        {
            var p = new Vector<float>(parameters[i]);
            var v = new Vector<float>(squares[i]);
            var b = momentum.IsEmpty ? default : new Vector<float>(momentum[i]);
            var m = average.IsEmpty ? default : new Vector<float>(average[i]);
            Kernel(ref p, new Vector<float>(gradients[i]), ref v, ref b, ref m, c);
            parameters[i] = p[0];
            squares[i] = v[0];
            if (!momentum.IsEmpty)
            {
                momentum[i] = b[0];
            }

            if (!average.IsEmpty)
            {
                average[i] = m[0];
            }
        }
    }

    private void Kernel(ref Vector<float> p, Vector<float> g, ref Vector<float> squareAvg, ref Vector<float> buffer, ref Vector<float> gradAvg, in Coefficients c)
    {
        if (WeightDecay != 0)
        {
            g = Lanes.AddScaled(g, c.WeightDecay, p);
        }

        squareAvg = (squareAvg * c.Alpha) + (c.OneMinusAlpha * g * g);
        Vector<float> avg;
        if (Centered)
        {
            gradAvg = Lanes.AddScaled(gradAvg * c.Alpha, c.OneMinusAlpha, g);
            avg = Vector.SquareRoot(squareAvg - (gradAvg * gradAvg));
        }
        else
        {
            avg = Vector.SquareRoot(squareAvg);
        }

        avg += c.Epsilon;
        if (Momentum > 0)
        {
            buffer = (buffer * c.Momentum) + (g / avg);
            p = Lanes.AddScaled(p, c.NegativeLearningRate, buffer);
        }
        else
        {
            // addcdiv's order: (value · g) / avg.
            p += c.NegativeLearningRate * g / avg;
        }
    }

    /// <summary>The scalars both updates take, rounded to float where PyTorch rounds them.</summary>
    private RmsPropScalars Scalars() =>
        new((float)WeightDecay, (float)Alpha, (float)(1 - Alpha), (float)Epsilon, (float)Momentum, -LearningRate);

    private readonly record struct RmsPropScalars(float WeightDecay, float Alpha, float OneMinusAlpha, float Epsilon, float Momentum, float NegativeLearningRate);

    private readonly record struct Coefficients(
        Vector<float> WeightDecay,
        Vector<float> Alpha,
        Vector<float> OneMinusAlpha,
        Vector<float> Epsilon,
        Vector<float> Momentum,
        Vector<float> NegativeLearningRate);
}
