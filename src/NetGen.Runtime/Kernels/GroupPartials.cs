using System;

namespace NetGen.Kernels;

/// <summary>
/// The calling thread's buffer for the <see cref="SampleGroups"/> partial gradients of one layer's
/// backward pass, grown to the largest seen and then reused, so training steps after the first
/// allocate nothing. Apart from the convolution's columns, which the same thread fills for its own groups.
/// </summary>
internal static class GroupPartials<T>
    where T : unmanaged
{
    [ThreadStatic]
    private static T[]? t_buffer;

    /// <summary>A span of <paramref name="length"/> values; contents are undefined.</summary>
    public static Span<T> Rent(int length)
    {
        var buffer = t_buffer;
        if (buffer is null || buffer.Length < length)
        {
            buffer = new T[length];
            t_buffer = buffer;
        }

        return buffer.AsSpan(0, length);
    }
}
