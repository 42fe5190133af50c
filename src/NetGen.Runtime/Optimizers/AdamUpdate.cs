using System;
using System.Numerics;

namespace NetGen.Optimizers;

/// <summary>
/// The moment updates shared by <see cref="Adam"/> and <see cref="AdamW"/>, which differ only in how
/// weight decay enters: added to the gradient (L2) or shrinking the parameter first (decoupled).
/// </summary>
internal static class AdamUpdate
{
    /// <summary>One Adam step over the whole buffer; <paramref name="step"/> is the 1-based step number.</summary>
    public static void Run(
        Span<float> parameters,
        ReadOnlySpan<float> gradients,
        Span<float> expAvg,
        Span<float> expAvgSq,
        long step,
        double learningRate,
        double beta1,
        double beta2,
        double epsilon,
        double l2WeightDecay,
        double decoupledWeightDecay)
    {
        // Python computes these scalars in double; the tensor kernels then round them to float.
        var biasCorrection1 = 1 - Math.Pow(beta1, step);
        var biasCorrection2 = 1 - Math.Pow(beta2, step);
        var c = new Coefficients(
            l2WeightDecay != 0,
            decoupledWeightDecay != 0,
            new Vector<float>((float)l2WeightDecay),
            new Vector<float>((float)(1 - (learningRate * decoupledWeightDecay))),
            new Vector<float>((float)beta1),
            new Vector<float>((float)(1 - beta1)),
            new Vector<float>((float)beta2),
            new Vector<float>((float)(1 - beta2)),
            new Vector<float>((float)Math.Sqrt(biasCorrection2)),
            new Vector<float>((float)epsilon),
            new Vector<float>((float)(-(learningRate / biasCorrection1))));
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
