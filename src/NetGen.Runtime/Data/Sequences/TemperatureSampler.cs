using System;

namespace NetGen.Data.Sequences;

/// <summary>
/// Draws a class from logits with a temperature, as text generation does: probabilities
/// <c>softmax(logits / T)</c>, so T = 1 samples the model's own distribution, T &lt; 1 sharpens it toward
/// the likeliest class (T = 0 is the argmax), and T &gt; 1 flattens it. Seeded, so a seed gives the same
/// text on every run; no allocation per draw. Not for concurrent use (one generator state).
/// </summary>
/// <example><code>
/// var sampler = new TemperatureSampler(seed: 1);
/// var next = sampler.Sample(logits, temperature: 0.5);
/// </code></example>
public sealed class TemperatureSampler
{
    private readonly SeededRandom random;

    /// <summary>A sampler whose draws are fixed by <paramref name="seed"/>.</summary>
    public TemperatureSampler(ulong seed) => random = new SeededRandom(seed);

    /// <summary>
    /// A class drawn with probability <c>softmax(logits / temperature)</c>; the first largest logit
    /// when <paramref name="temperature"/> is 0 (the limit as T → 0). The largest logit is subtracted
    /// first, so large logits or a tiny temperature cannot overflow.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="logits"/> is empty or holds a value that is not finite, or <paramref name="temperature"/> is negative or not finite.</exception>
    public int Sample(ReadOnlySpan<float> logits, double temperature)
    {
        if (!(temperature >= 0 && double.IsFinite(temperature)))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be a finite number ≥ 0 (0 picks the largest logit, 1 samples the model's distribution).");
        }

        var best = ArgMax(logits);
        if (temperature == 0)
        {
            return best;
        }

        // Two passes over exp instead of a buffer of probabilities: no allocation, and vocabularies are small.
        var max = logits[best];
        var total = 0.0;
        foreach (var logit in logits)
        {
            total += Math.Exp((logit - max) / temperature);
        }

        var threshold = random.NextDouble() * total;
        var cumulative = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            cumulative += Math.Exp((logits[i] - max) / temperature);
            if (threshold < cumulative)
            {
                return i;
            }
        }

        // Rounding left the threshold at the very top (threshold ≈ total): give the draw to the likeliest class.
        return best;
    }

    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("There are no logits to sample from.", nameof(logits));
        }

        var best = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            if (!float.IsFinite(logits[i]))
            {
                throw new ArgumentException($"Logit {i} is {logits[i]}; sampling needs finite logits (a diverged model gives NaN).", nameof(logits));
            }

            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }
}
