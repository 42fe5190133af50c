using System;

namespace NetGen.Gpu;

/// <summary>A device allocation: an opaque handle (a <c>cl_mem</c> or a <c>CUdeviceptr</c>) and its size.</summary>
/// <param name="Handle">The backend's handle.</param>
/// <param name="Bytes">Size in bytes.</param>
public sealed record GpuBuffer(nint Handle, long Bytes);

/// <summary>A compiled kernel program: the backend's handle (a <c>cl_program</c> or a <c>CUmodule</c>).</summary>
/// <param name="Handle">The backend's handle.</param>
/// <param name="SourceHash">SHA-256 of the source it was compiled from (the cache key).</param>
public sealed record GpuProgram(nint Handle, string SourceHash);

/// <summary>A two-dimensional work size (use Y = 1 for one dimension).</summary>
/// <param name="X">Extent along the first dimension.</param>
/// <param name="Y">Extent along the second dimension.</param>
public readonly record struct GpuGrid(int X, int Y);

/// <summary>One kernel argument: a buffer, a 32-bit integer or a float.</summary>
public readonly struct GpuArg
{
    private GpuArg(GpuBuffer? buffer, int integer, float single, GpuArgKind kind)
    {
        Buffer = buffer;
        Int = integer;
        Float = single;
        Kind = kind;
    }

    /// <summary>Which of the values this argument carries.</summary>
    public GpuArgKind Kind { get; }

    /// <summary>The buffer, when <see cref="Kind"/> is <see cref="GpuArgKind.Buffer"/>.</summary>
    public GpuBuffer? Buffer { get; }

    /// <summary>The integer, when <see cref="Kind"/> is <see cref="GpuArgKind.Int"/>.</summary>
    public int Int { get; }

    /// <summary>The float, when <see cref="Kind"/> is <see cref="GpuArgKind.Float"/>.</summary>
    public float Float { get; }

    /// <summary>A buffer argument.</summary>
    public static implicit operator GpuArg(GpuBuffer buffer) => new(buffer ?? throw new ArgumentNullException(nameof(buffer)), 0, 0, GpuArgKind.Buffer);

    /// <summary>An <c>int</c> argument.</summary>
    public static implicit operator GpuArg(int value) => new(null, value, 0, GpuArgKind.Int);

    /// <summary>A <c>float</c> argument.</summary>
    public static implicit operator GpuArg(float value) => new(null, 0, value, GpuArgKind.Float);
}

/// <summary>What a <see cref="GpuArg"/> holds.</summary>
public enum GpuArgKind
{
    /// <summary>A device buffer.</summary>
    Buffer,

    /// <summary>A 32-bit integer.</summary>
    Int,

    /// <summary>A 32-bit float.</summary>
    Float,
}

/// <summary>A device API call failed: the message names the call and its error.</summary>
public sealed class GpuException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GpuException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// The device API or its driver is missing: the message names the library or platform that was
/// not found and how to install it.
/// </summary>
public sealed class GpuUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GpuUnavailableException(string message)
        : base(message)
    {
    }
}
