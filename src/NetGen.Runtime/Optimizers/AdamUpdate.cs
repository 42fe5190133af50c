using System;
using System.Numerics;
using NetGen.Gpu;

namespace NetGen.Optimizers;

/// <summary>
/// The moment updates shared by <see cref="Adam"/> and <see cref="AdamW"/>, which differ only in how
/// weight decay enters: added to the gradient (L2) or shrinking the parameter first (decoupled).
/// </summary>
internal static class AdamUpdate
{
    /// <summary>The device name of <see cref="DeviceKernel"/>.</summary>
    public const string DeviceKernelName = "adam_update";

    /// <summary>
    /// <see cref="Kernel"/> on a device, operation for operation (<c>FMA</c> where <see cref="Lanes.AddScaled"/>
    /// fuses), over <c>[offset, offset + count)</c>, with the scalars of <see cref="Scalars"/>.
    /// </summary>
    public const string DeviceKernel = """

        KERNEL void adam_update(GLOBAL float* p, GLOBAL const float* g, GLOBAL float* expAvg, GLOBAL float* expAvgSq, int offset, int count, int hasL2Decay, int hasDecoupledDecay, float l2WeightDecay, float decoupledShrink, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float biasCorrection2Sqrt, float epsilon, float negativeStepSize)
        {
            int i = GLOBAL_ID(0);
            if (i >= count) return;
            i += offset;
            float pi = p[i];
            float gi = g[i];
            if (hasDecoupledDecay) pi *= decoupledShrink;
            if (hasL2Decay) gi = FMA(l2WeightDecay, pi, gi);
            float m = FMA(oneMinusBeta1, gi, expAvg[i] * beta1);
            float v = expAvgSq[i] * beta2 + oneMinusBeta2 * gi * gi;
            expAvg[i] = m;
            expAvgSq[i] = v;
            p[i] = pi + negativeStepSize * m / (SQRT(v) / biasCorrection2Sqrt + epsilon);
        }

        """;

    /// <summary>
    /// The scalars of step <paramref name="step"/> (1-based): Python computes them in double, the
    /// tensor kernels then round them to float. Both the CPU and the device update take these.
    /// </summary>
    public static Scalars For(long step, double learningRate, double beta1, double beta2, double epsilon, double l2WeightDecay, double decoupledWeightDecay)
    {
        var biasCorrection1 = 1 - Math.Pow(beta1, step);
        var biasCorrection2 = 1 - Math.Pow(beta2, step);
        return new Scalars(
            l2WeightDecay != 0,
            decoupledWeightDecay != 0,
            (float)l2WeightDecay,
            (float)(1 - (learningRate * decoupledWeightDecay)),
            (float)beta1,
            (float)(1 - beta1),
            (float)beta2,
            (float)(1 - beta2),
            (float)Math.Sqrt(biasCorrection2),
            (float)epsilon,
            (float)(-(learningRate / biasCorrection1)));
    }

    /// <summary>The arguments of <see cref="DeviceKernel"/> for the parameters in <paramref name="range"/>; returns how many.</summary>
    public static int WriteArguments(in Scalars s, GpuBuffer parameters, GpuBuffer gradients, ReadOnlySpan<GpuBuffer> state, ParameterRange range, Span<GpuArg> arguments)
    {
        arguments[0] = parameters;
        arguments[1] = gradients;
        arguments[2] = state[0];
        arguments[3] = state[1];
        arguments[4] = range.Offset;
        arguments[5] = range.Length;
        arguments[6] = s.HasL2Decay ? 1 : 0;
        arguments[7] = s.HasDecoupledDecay ? 1 : 0;
        arguments[8] = s.L2WeightDecay;
        arguments[9] = s.DecoupledShrink;
        arguments[10] = s.Beta1;
        arguments[11] = s.OneMinusBeta1;
        arguments[12] = s.Beta2;
        arguments[13] = s.OneMinusBeta2;
        arguments[14] = s.BiasCorrection2Sqrt;
        arguments[15] = s.Epsilon;
        arguments[16] = s.NegativeStepSize;
        return 17;
    }

    /// <summary>One Adam step over the whole buffer with the scalars of <see cref="For"/>.</summary>
    public static void Run(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> expAvg, Span<float> expAvgSq, in Scalars s)
    {
        var c = new Coefficients(
            s.HasL2Decay,
            s.HasDecoupledDecay,
            new Vector<float>(s.L2WeightDecay),
            new Vector<float>(s.DecoupledShrink),
            new Vector<float>(s.Beta1),
            new Vector<float>(s.OneMinusBeta1),
            new Vector<float>(s.Beta2),
            new Vector<float>(s.OneMinusBeta2),
            new Vector<float>(s.BiasCorrection2Sqrt),
            new Vector<float>(s.Epsilon),
            new Vector<float>(s.NegativeStepSize));
        var n = parameters.Length;
        var i = 0;
        for (; i <= n - Lanes.Width; i += Lanes.Width)
        {
            var p = Lanes.Load(parameters, i);
            var m = Lanes.Load(expAvg, i);
            var v = Lanes.Load(expAvgSq, i);
            Kernel(ref p, Lanes.Load(gradients, i), ref m, ref v, c);
            Lanes.Store(p, parameters, i);
            Lanes.Store(m, expAvg, i);
            Lanes.Store(v, expAvgSq, i);
        }

        for (; i < n; i++)
        {
            var p = new Vector<float>(parameters[i]);
            var m = new Vector<float>(expAvg[i]);
            var v = new Vector<float>(expAvgSq[i]);
            Kernel(ref p, new Vector<float>(gradients[i]), ref m, ref v, c);
            parameters[i] = p[0];
            expAvg[i] = m[0];
            expAvgSq[i] = v[0];
        }
    }

    private static void Kernel(ref Vector<float> p, Vector<float> g, ref Vector<float> m, ref Vector<float> v, in Coefficients c)
    {
        if (c.HasDecoupledDecay)
        {
            p *= c.DecoupledShrink;
        }

        if (c.HasL2Decay)
        {
            g = Lanes.AddScaled(g, c.L2WeightDecay, p);
        }

        m = Lanes.AddScaled(m * c.Beta1, c.OneMinusBeta1, g);
        v = (v * c.Beta2) + (c.OneMinusBeta2 * g * g);
        var denominator = (Vector.SquareRoot(v) / c.BiasCorrection2Sqrt) + c.Epsilon;

        // addcdiv's order: (value · m) / denominator.
        p += c.NegativeStepSize * m / denominator;
    }

    /// <summary>One step's scalars, rounded to float where PyTorch rounds them.</summary>
    public readonly record struct Scalars(
        bool HasL2Decay,
        bool HasDecoupledDecay,
        float L2WeightDecay,
        float DecoupledShrink,
        float Beta1,
        float OneMinusBeta1,
        float Beta2,
        float OneMinusBeta2,
        float BiasCorrection2Sqrt,
        float Epsilon,
        float NegativeStepSize);

    private readonly record struct Coefficients(
        bool HasL2Decay,
        bool HasDecoupledDecay,
        Vector<float> L2WeightDecay,
        Vector<float> DecoupledShrink,
        Vector<float> Beta1,
        Vector<float> OneMinusBeta1,
        Vector<float> Beta2,
        Vector<float> OneMinusBeta2,
        Vector<float> BiasCorrection2Sqrt,
        Vector<float> Epsilon,
        Vector<float> NegativeStepSize);
}
