using System;
using System.IO;

namespace NetGen.Data;

/// <summary>
/// A data file is malformed: wrong magic number, truncated, inconsistent with its partner file.
/// The message always names the file at fault, and <see cref="FilePath"/> holds it.
/// </summary>
public sealed class DataFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public DataFormatException(string filePath, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }
}
