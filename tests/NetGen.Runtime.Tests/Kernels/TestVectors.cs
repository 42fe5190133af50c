namespace NetGen.Runtime.Tests.Kernels;

/// <summary>Seeded inputs and element-wise sums for the kernel tests that compare a whole batch with its parts.</summary>
internal static class TestVectors
{
    /// <summary><paramref name="length"/> values uniform in [-1, 1) from <paramref name="seed"/>.</summary>
    public static float[] Random(int length, ulong seed)
    {
        var random = new SeededRandom(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = random.NextUniform(-1, 1);
        }

        return values;
    }

    /// <summary>a + b element by element, in float: the addition a data-parallel all-reduce of two shards makes.</summary>
    public static float[] Sum(float[] a, float[] b)
    {
        var sum = new float[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            sum[i] = a[i] + b[i];
        }

        return sum;
    }
}
