using System;

namespace NetGen;

/// <summary>
/// The convolution scratch of the calling thread, grown to the largest convolution seen and then
/// reused, so training steps after the first allocate nothing: one chunk of samples' columns (and
/// their gradient and the chunk's products), capped by <c>Conv2D.ColumnBudget</c> whatever the batch,
/// and, on the thread that runs a backward pass, each sample group's partial weight and bias gradient.
/// </summary>
internal static class ConvolutionWorkspace<T>
    where T : unmanaged
{
    [ThreadStatic]
    private static T[]? t_buffer;

    [ThreadStatic]
    private static T[]? t_partials;

    /// <summary>A span of at least <paramref name="length"/> values for columns; contents are undefined.</summary>
    public static Span<T> Rent(int length) => Grow(ref t_buffer, length);

    /// <summary>A span of <paramref name="length"/> values for the groups' partial gradients, apart from the columns (the thread works on a group too); contents are undefined.</summary>
    public static Span<T> RentPartials(int length) => Grow(ref t_partials, length);

    private static Span<T> Grow(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer = new T[length];
        }

        return buffer.AsSpan(0, length);
    }
}
