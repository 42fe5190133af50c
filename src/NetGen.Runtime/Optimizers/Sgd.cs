using System;
using System.Numerics;

namespace NetGen.Optimizers;

/// <summary>
/// Stochastic gradient descent as torch.optim.SGD: <c>d = g + wd·p</c>; with momentum
/// <c>buf = μ·buf + (1 − dampening)·d</c> (the first step copies <c>d</c>), then
/// <c>d = d + μ·buf</c> (Nesterov) or <c>d = buf</c>; finally <c>p = p − lr·d</c>.
/// </summary>
public sealed class Sgd : Optimizer
{
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
    protected override void Update(Span<float> parameters, ReadOnlySpan<float> gradients, int offset)
    {
        var c = new Coefficients(
            StepCount == 1,
            new Vector<float>((float)WeightDecay),
            new Vector<float>((float)Momentum),
            new Vector<float>((float)(1 - Dampening)),
            new Vector<float>(-LearningRate));
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

    private readonly record struct Coefficients(
        bool FirstStep,
        Vector<float> WeightDecay,
        Vector<float> Momentum,
        Vector<float> GradientShare,
        Vector<float> NegativeLearningRate);
}
