using System.IO;

namespace NetGen.Checkpoints;

/// <summary>
/// A checkpoint file is malformed or does not fit the model or optimizer it is loaded into. Thrown
/// before anything is changed, so the model and optimizer keep their previous values.
/// </summary>
public sealed class CheckpointException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>, naming <paramref name="tensorName"/> when one is at fault.</summary>
    public CheckpointException(string filePath, string? tensorName, string message)
        : base(tensorName is null ? $"Checkpoint '{filePath}': {message}" : $"Checkpoint '{filePath}', tensor '{tensorName}': {message}")
    {
        FilePath = filePath;
        TensorName = tensorName;
    }

    /// <summary>The checkpoint file.</summary>
    public string FilePath { get; }

    /// <summary>The tensor at fault, or null when the fault is in the file as a whole.</summary>
    public string? TensorName { get; }
}
