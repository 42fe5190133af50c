using System;

namespace NetGen;

/// <summary>
/// Seeded parameter initialisation. Weights feeding a ReLU-family activation get He (Kaiming)
/// uniform, <c>U(±√(6/fanIn))</c>, which keeps activation variance steady through rectifiers; the
/// rest get Glorot (Xavier) uniform, <c>U(±√(6/(fanIn+fanOut)))</c>. Biases start at zero.
/// </summary>
public static class Initializers
{
    /// <summary>Fills <paramref name="weights"/> with He uniform values.</summary>
    public static void HeUniform(Span<float> weights, int fanIn, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Uniform(weights, MathF.Sqrt(6f / fanIn), random);
    }

    /// <summary>Fills <paramref name="weights"/> with Glorot uniform values.</summary>
    public static void GlorotUniform(Span<float> weights, int fanIn, int fanOut, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Uniform(weights, MathF.Sqrt(6f / (fanIn + fanOut)), random);
    }

    /// <summary>
    /// Fills <paramref name="values"/> with <c>U(±1/√hidden)</c>, PyTorch's default for every tensor of a
    /// recurrent layer (weights and biases alike).
    /// </summary>
    public static void RecurrentUniform(Span<float> values, int hidden, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Uniform(values, 1f / MathF.Sqrt(hidden), random);
    }

    /// <summary>He uniform for ReLU-family activations, Glorot uniform for the rest.</summary>
    public static void ForActivation(Activation activation, Span<float> weights, int fanIn, int fanOut, SeededRandom random)
    {
        if (Kernels.Activations.InitialisesWithHe(activation))
        {
            HeUniform(weights, fanIn, random);
        }
        else
        {
            GlorotUniform(weights, fanIn, fanOut, random);
        }
    }

    private static void Uniform(Span<float> weights, float limit, SeededRandom random)
    {
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = random.NextUniform(-limit, limit);
        }
    }
}
