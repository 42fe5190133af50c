using System;
using System.Numerics;
using NetGen.Gpu;

namespace NetGen.Optimizers;

/// <summary>
/// Stochastic gradient descent as torch.optim.SGD: <c>d = g + wd·p</c>; with momentum
/// <c>buf = μ·buf + (1 − dampening)·d</c> (the first step copies <c>d</c>), then
/// <c>d = d + μ·buf</c> (Nesterov) or <c>d = buf</c>; finally <c>p = p − lr·d</c>.
/// </summary>
public sealed class Sgd : Optimizer, IDeviceUpdate
{
    /// <summary>
    /// <see cref="Kernel"/> on a device, operation for operation (<c>FMA</c> where <see cref="Lanes.AddScaled"/>
    /// fuses), over <c>[offset, offset + count)</c>. Without momentum there is no buffer and
    /// <c>momentumBuffer</c> is never read.
    /// </summary>
    internal const string DeviceKernel = """

        KERNEL void sgd_update(GLOBAL float* p, GLOBAL const float* g, GLOBAL float* momentumBuffer, int offset, int count, float weightDecay, float momentum, float gradientShare, float negativeLearningRate, int nesterov, int firstStep)
        {
            int i = GLOBAL_ID(0);
            if (i >= count) return;
            i += offset;
            float d = weightDecay != 0.0f ? FMA(weightDecay, p[i], g[i]) : g[i];
            if (momentum != 0.0f)
            {
                float b = firstStep ? d : FMA(gradientShare, d, momentumBuffer[i] * momentum);
                momentumBuffer[i] = b;
                d = nesterov ? FMA(momentum, b, d) : b;
            }
            p[i] = FMA(negativeLearningRate, d, p[i]);
        }

        """;

    private readonly float[]? momentumBuffer;

    /// <summary>Creates SGD for <paramref name="parameterCount"/> parameters.</summary>
    public Sgd(int parameterCount, float learningRate, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
        : base(parameterCount, learningRate)
    {
        Momentum = NonNegative(momentum, nameof(momentum));
        Dampening = NonNegative(dampening, nameof(dampening));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires momentum > 0 and dampening = 0 (as in PyTorch).", nameof(nesterov));
        }

        Nesterov = nesterov;
        if (Momentum != 0)
        {
            momentumBuffer = AddState("momentum_buffer");
        }
    }

    /// <summary>Creates SGD for all parameters of <paramref name="network"/>.</summary>
    public Sgd(INetwork network, float learningRate, double momentum = 0, double dampening = 0, bool nesterov = false, double weightDecay = 0)
        : this(CountOf(network), learningRate, momentum, dampening, nesterov, weightDecay)
    {
    }

    /// <summary>Momentum factor μ (0: none).</summary>
    public double Momentum { get; }

    /// <summary>Dampening of the gradient's share in the momentum buffer.</summary>
    public double Dampening { get; }

    /// <summary>Whether the update uses Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    string IDeviceUpdate.Kernel => "sgd_update";

    /// <inheritdoc/>
    int IDeviceUpdate.WriteArguments(GpuBuffer parameters, GpuBuffer gradients, ReadOnlySpan<GpuBuffer> state, ParameterRange range, Span<GpuArg> arguments)
    {
        var s = Scalars();
        arguments[0] = parameters;
        arguments[1] = gradients;
        // Plain SGD keeps no buffer; the kernel never reads this argument then, but it must be a buffer.
        arguments[2] = state.IsEmpty ? parameters : state[0];
        arguments[3] = range.Offset;
        arguments[4] = range.Length;
        arguments[5] = s.WeightDecay;
        arguments[6] = s.Momentum;
        arguments[7] = s.GradientShare;
        arguments[8] = s.NegativeLearningRate;
        arguments[9] = Nesterov ? 1 : 0;
        arguments[10] = s.FirstStep ? 1 : 0;
        return 11;
    }

    /// <inheritdoc/>
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset)
    {
        var s = Scalars();
        var c = new Coefficients(
            s.FirstStep,
            new Vector<float>(s.WeightDecay),
            new Vector<float>(s.Momentum),
            new Vector<float>(s.GradientShare),
            new Vector<float>(s.NegativeLearningRate));
        var buffer = StateSlice(momentumBuffer, offset, parameters.Length);
        var n = parameters.Length;
        var i = 0;
        for (; i <= n - Lanes.Width; i += Lanes.Width)
        {
            var p = Lanes.Load(parameters, i);
            var b = buffer.IsEmpty ? default : Lanes.Load(buffer, i);
            Kernel(ref p, Lanes.Load(gradients, i), ref b, c);
            Lanes.Store(p, parameters, i);
            if (!buffer.IsEmpty)
            {
                Lanes.Store(b, buffer, i);
            }
        }

        for (; i < n; i++)
        {
            var p = new Vector<float>(parameters[i]);
            var b = buffer.IsEmpty ? default : new Vector<float>(buffer[i]);
            Kernel(ref p, new Vector<float>(gradients[i]), ref b, c);
            parameters[i] = p[0];
            if (!buffer.IsEmpty)
            {
                buffer[i] = b[0];
            }
        }
    }

    private void Kernel(ref Vector<float> p, Vector<float> g, ref Vector<float> buffer, in Coefficients c)
    {
        var d = WeightDecay != 0 ? Lanes.AddScaled(g, c.WeightDecay, p) : g;
        if (Momentum != 0)
        {
            buffer = c.FirstStep ? d : Lanes.AddScaled(buffer * c.Momentum, c.GradientShare, d);
            d = Nesterov ? Lanes.AddScaled(d, c.Momentum, buffer) : buffer;
        }

        p = Lanes.AddScaled(p, c.NegativeLearningRate, d);
    }

    /// <summary>This step's scalars as both updates take them, rounded to float where PyTorch rounds them.</summary>
    private SgdScalars Scalars() =>
        new(StepCount == 1, (float)WeightDecay, (float)Momentum, (float)(1 - Dampening), -LearningRate);

    private readonly record struct SgdScalars(bool FirstStep, float WeightDecay, float Momentum, float GradientShare, float NegativeLearningRate);

    private readonly record struct Coefficients(
        bool FirstStep,
        Vector<float> WeightDecay,
        Vector<float> Momentum,
        Vector<float> GradientShare,
        Vector<float> NegativeLearningRate);
}
