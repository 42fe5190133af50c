using System;

namespace NetGen;

/// <summary>Checks the spans handed to a generated network, so a wrong size fails with the sizes named.</summary>
public static class BatchGuard
{
    /// <summary>The batch size implied by <paramref name="inputLength"/> floats of <paramref name="sampleSize"/> each.</summary>
    public static int BatchSize(string network, int inputLength, int sampleSize) => BatchSize(network, "inputs", inputLength, sampleSize);

    /// <summary>The batch size implied by the input <paramref name="argument"/> of <paramref name="inputLength"/> floats, <paramref name="sampleSize"/> per sample.</summary>
    public static int BatchSize(string network, string argument, int inputLength, int sampleSize)
    {
        if (inputLength == 0 || inputLength % sampleSize != 0)
        {
            throw new ArgumentException($"{network}: {argument} hold{(argument == "inputs" ? "" : "s")} {inputLength} floats, which is not a positive whole number of samples of {sampleSize}.", argument);
        }

        return inputLength / sampleSize;
    }

    /// <summary>
    /// The floats that <paramref name="batch"/> samples of <paramref name="perSample"/> floats each
    /// take in one buffer (<paramref name="buffer"/> names it). The product is formed in 64 bits, so
    /// a batch too large for one array is refused with the sizes named instead of wrapping around
    /// to a buffer too small; call it before changing any state, so the network stays usable.
    /// </summary>
    /// <exception cref="ArgumentException">The buffer would exceed <see cref="Array.MaxLength"/> floats.</exception>
    public static int Floats(string network, string buffer, int batch, long perSample)
    {
        var floats = batch * perSample;
        if (floats > Array.MaxLength)
        {
            throw new ArgumentException(
                $"{network}: a batch of {batch} samples needs {floats} floats of {buffer} ({perSample} per sample), more than the {Array.MaxLength} one array can hold; use batches of at most {Array.MaxLength / perSample} samples.",
                "inputs");
        }

        return (int)floats;
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
