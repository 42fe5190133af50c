using System;
using System.Collections.Generic;

namespace NetGen;

/// <summary>
/// A shaped, row-major window onto a slice of a flat buffer (for example one layer's weight inside
/// a network's parameter buffer). Writing through it changes the network.
/// </summary>
public readonly struct TensorView
{
    private readonly float[] _buffer;
    private readonly int _offset;
    private readonly int[] _shape;

    // Why the view has no elements to show (a [Frozen] layer's gradient), or null for a view of a buffer.
    private readonly string? _absence;

    /// <summary>Creates a view of <paramref name="shape"/> starting at <paramref name="offset"/>.</summary>
    public TensorView(float[] buffer, int offset, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var length = 1;
        foreach (var dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dimension, nameof(shape));
            length *= dimension;
        }

        if (offset < 0 || offset + length > buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"A view of {length} elements at offset {offset} does not fit a buffer of {buffer.Length}.");
        }

        _buffer = buffer;
        _offset = offset;
        _shape = shape;
        Length = length;
    }

    private TensorView(string absence, int[] shape)
    {
        _buffer = [];
        _shape = shape;
        _absence = absence;
    }

    /// <summary>A view of a tensor that is not kept (a <c>[Frozen]</c> layer's gradient): it has a shape, and reading it throws with <paramref name="absence"/>.</summary>
    internal static TensorView Absent(string absence, int[] shape) => new(absence, shape);

    /// <summary>The shape, outermost dimension first.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>The elements in row-major order.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not kept (a <c>[Frozen]</c> layer's gradient).</exception>
    public Span<float> Span => _absence is null ? _buffer.AsSpan(_offset, Length) : throw new InvalidOperationException(_absence);

    /// <summary>Element <paramref name="i"/> of a flat view.</summary>
    public ref float this[int i] => ref Span[i];

    /// <summary>Element <c>[i, j]</c> of a matrix view.</summary>
    public ref float this[int i, int j]
    {
        get
        {
            if (_shape.Length != 2)
            {
                throw new InvalidOperationException($"A two-index access needs a matrix, but this view has shape [{string.Join(", ", _shape)}].");
            }

            if ((uint)j >= (uint)_shape[1])
            {
                throw new IndexOutOfRangeException($"Column {j} is outside [0, {_shape[1]}).");
            }

            return ref Span[(i * _shape[1]) + j];
        }
    }

    /// <summary>A copy of the elements.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <inheritdoc/>
    public override string ToString() => $"TensorView[{string.Join(", ", _shape)}]";
}
