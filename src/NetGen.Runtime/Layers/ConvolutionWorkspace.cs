using System;

namespace NetGen;

/// <summary>
/// The im2col scratch of the calling thread: one chunk of samples' columns (and their gradient and
/// the chunk's products), grown to the largest convolution seen and then reused, so training steps
/// after the first allocate nothing. A chunk's columns are capped (<c>Conv2D.ColumnBudget</c>), so
/// memory grows with the batch only up to that cap.
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
