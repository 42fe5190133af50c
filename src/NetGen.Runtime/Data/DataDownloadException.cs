using System;
using System.Collections.Generic;
using System.IO;

namespace NetGen.Data;

/// <summary>No mirror served a valid copy of a dataset file. The message lists every mirror tried and why it failed.</summary>
public sealed class DataDownloadException : IOException
{
    /// <summary>Creates the exception for <paramref name="fileName"/>.</summary>
    public DataDownloadException(string fileName, IReadOnlyList<string> attempts, string message, Exception? innerException)
        : base(message, innerException)
    {
        FileName = fileName;
        Attempts = attempts;
    }

    /// <summary>The file that could not be downloaded.</summary>
    public string FileName { get; }

    /// <summary>One line per mirror tried: its address and what went wrong.</summary>
    public IReadOnlyList<string> Attempts { get; }
}
