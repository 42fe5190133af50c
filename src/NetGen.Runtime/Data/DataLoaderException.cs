using System;

namespace NetGen.Data;

/// <summary>A dataset failed while a loader worker was reading from it; <see cref="Exception.InnerException"/> is the original failure.</summary>
public sealed class DataLoaderException : Exception
{
    /// <summary>Creates the exception for the sample at <paramref name="sampleIndex"/>.</summary>
    public DataLoaderException(int sampleIndex, string message, Exception innerException)
        : base(message, innerException)
    {
        SampleIndex = sampleIndex;
    }

    /// <summary>The dataset index of the sample being read.</summary>
    public int SampleIndex { get; }
}
