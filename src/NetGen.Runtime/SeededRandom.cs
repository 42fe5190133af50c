using System;

namespace NetGen;

/// <summary>
/// A small, fast, seeded generator (xoshiro128**, seeded through SplitMix64) whose sequence is fixed
/// by this code alone, unlike <see cref="Random"/>, so the same seed gives the same numbers on every
/// .NET version and machine.
/// </summary>
public sealed class SeededRandom
{
    private uint _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator for <paramref name="seed"/>.</summary>
    public SeededRandom(ulong seed)
    {
        var x = seed;
        (_s0, _s1) = Split(SplitMix(ref x));
        (_s2, _s3) = Split(SplitMix(ref x));
    }

    /// <summary>The next 32 random bits.</summary>
    public uint NextUInt32()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 9;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 11);
        return result;
    }

    /// <summary>A float uniform in [0, 1), from the top 24 bits.</summary>
    public float NextSingle() => (NextUInt32() >> 8) * (1f / (1 << 24));

    /// <summary>A double uniform in [0, 1), from 53 bits.</summary>
    public double NextDouble() => ((((ulong)NextUInt32() << 32) | NextUInt32()) >> 11) * (1.0 / (1UL << 53));

    /// <summary>A float uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public float NextUniform(float low, float high) => low + ((high - low) * NextSingle());

    /// <summary>An integer uniform in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        var bound = (uint)maxExclusive;
        var threshold = (0u - bound) % bound;
        while (true)
        {
            var r = NextUInt32();
            if (r >= threshold)
            {
                return (int)(r % bound);
            }
        }
    }

    /// <summary>A standard normal sample (Box–Muller).</summary>
    public double NextNormal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static (uint, uint) Split(ulong v) => ((uint)v | 1u, (uint)(v >> 32));

    private static uint RotateLeft(uint x, int k) => (x << k) | (x >> (32 - k));
}
