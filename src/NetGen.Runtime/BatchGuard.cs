using System;

namespace NetGen;

/// <summary>Checks the spans handed to a generated network, so a wrong size fails with the sizes named.</summary>
public static class BatchGuard
{
    /// <summary>The batch size implied by <paramref name="inputLength"/> floats of <paramref name="sampleSize"/> each.</summary>
    public static int BatchSize(string network, int inputLength, int sampleSize)
    {
        if (inputLength == 0 || inputLength % sampleSize != 0)
        {
            throw new ArgumentException($"{network}: inputs hold {inputLength} floats, which is not a positive whole number of samples of {sampleSize}.", "inputs");
        }

        return inputLength / sampleSize;
    }

    /// <summary>Checks that <paramref name="length"/> can hold <paramref name="required"/> values.</summary>
    public static void Fits(string network, string argument, int length, int required)
    {
        if (length < required)
        {
            throw new ArgumentException($"{network}: {argument} holds {length} values but the batch needs {required}.", argument);
        }
    }

    /// <summary>Checks that <paramref name="length"/> is exactly <paramref name="required"/>.</summary>
    public static void Exactly(string network, string argument, int length, int required)
    {
        if (length != required)
        {
            throw new ArgumentException($"{network}: {argument} holds {length} values but the batch needs exactly {required}.", argument);
        }
    }
}
