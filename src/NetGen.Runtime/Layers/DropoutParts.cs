using System;
using System.Numerics;
using NetGen.Kernels;
using NetGen.Kernels.Threading;

namespace NetGen;

/// <summary>
/// Dropout's passes split over contiguous ranges of values on the worker pool. A value's mask is a
/// hash of its index and its gradient a product of its own values, so any split equals one thread
/// bitwise. One instance per thread and element type is reused; the spans are pinned for the pass only
/// and given back to the numerics in <see cref="Dropout"/> at their own lengths.
/// </summary>
internal sealed unsafe class DropoutParts<T> : IParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static DropoutParts<T>? t_work;

    private T* _input, _mask, _output, _saved;
    private int _inputLength, _maskLength, _outputLength, _savedLength, _count;
    private ulong _threshold, _stream;
    private T _scale;
    private Activation _activation;
    private bool _backward;

    /// <summary><see cref="Dropout.Forward{T}"/> of all of <paramref name="x"/> over the pool.</summary>
    public static void Forward(ReadOnlySpan<T> x, Span<T> y, Span<T> mask, ulong threshold, T scale, ulong stream)
    {
        var work = t_work ??= new DropoutParts<T>();
        fixed (T* px = x, py = y, pm = mask)
        {
            work.Pin(px, x.Length, pm, mask.Length, py, y.Length, null, 0);
            work._threshold = threshold;
            work._scale = scale;
            work._stream = stream;
            work._backward = false;
            work.Run(x.Length);
        }
    }

    /// <summary>The first <paramref name="count"/> values of <see cref="Dropout.Backward{T}"/> over the pool, up to a row-wise producer's Jacobian.</summary>
    public static void Backward(ReadOnlySpan<T> dy, ReadOnlySpan<T> mask, Span<T> dx, int count, Activation previousActivation, ReadOnlySpan<T> previousSaved)
    {
        var work = t_work ??= new DropoutParts<T>();
        fixed (T* pdy = dy, pm = mask, pdx = dx, ps = previousSaved)
        {
            work.Pin(pdy, dy.Length, pm, mask.Length, pdx, dx.Length, ps, previousSaved.Length);
            (work._activation, work._backward) = (previousActivation, true);
            work.Run(count);
        }
    }

    /// <inheritdoc/>
    public void Execute(int part, int partCount)
    {
        var (start, end) = StepParallel.Range(_count, part, partCount);
        var input = new ReadOnlySpan<T>(_input, _inputLength);
        var output = new Span<T>(_output, _outputLength);
        if (_backward)
        {
            Dropout.BackwardRange<T>(input, new ReadOnlySpan<T>(_mask, _maskLength), output, _activation, new ReadOnlySpan<T>(_saved, _savedLength), start, end);
        }
        else
        {
            Dropout.ForwardRange<T>(input, output, new Span<T>(_mask, _maskLength), _threshold, _scale, _stream, start, end);
        }
    }

    private void Pin(T* input, int inputLength, T* mask, int maskLength, T* output, int outputLength, T* saved, int savedLength)
    {
        _input = input;
        _mask = mask;
        _output = output;
        _saved = saved;
        (_inputLength, _maskLength, _outputLength, _savedLength) = (inputLength, maskLength, outputLength, savedLength);
    }

    private void Run(int count)
    {
        _count = count;
        try
        {
            StepParallel.Run(this, StepParallel.Parts(count, 1));
        }
        finally
        {
            // Forget the pointers, which were pinned only for the pass.
            Pin(null, 0, null, 0, null, 0, null, 0);
        }
    }
}
