using System;

namespace NetGen;

/// <summary>
/// The im2col scratch of the calling thread: one sample's columns (and their gradient), grown to
/// the largest convolution seen and then reused, so training steps after the first allocate
/// nothing and memory does not grow with the batch.
/// </summary>
internal static class ConvolutionWorkspace<T>
    where T : unmanaged
{
    [ThreadStatic]
    private static T[]? t_buffer;

    /// <summary>A scratch span of at least <paramref name="length"/> values; contents are undefined.</summary>
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
