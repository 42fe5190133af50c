using System;
using System.Numerics;
using NetGen.Kernels.Threading;

namespace NetGen;

/// <summary>
/// Max pooling's forward and backward passes split over the batch: each part pools whole samples
/// (and applies the previous activation's derivative to their gradient), so every element is
/// computed exactly as on one thread. One instance per thread and element type is reused.
/// </summary>
internal sealed unsafe class PoolingParts<T> : IParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static PoolingParts<T>? t_work;

    private T* _dy, _x, _y, _dx, _saved;
    private int _batch;
    private WindowGeometry _geometry;
    private Activation _previousActivation;
    private bool _backward;

    /// <summary><see cref="MaxPool2D.Forward{T}"/> of checked spans in <paramref name="parts"/> parts.</summary>
    public static void Forward(ReadOnlySpan<T> x, Span<T> y, int batch, in WindowGeometry g, int parts)
    {
        var work = t_work ??= new PoolingParts<T>();
        fixed (T* px = x, py = y)
        {
            work._x = px;
            work._y = py;
            (work._batch, work._geometry, work._backward) = (batch, g, false);
            work.Run(parts);
        }
    }

    /// <summary><see cref="MaxPool2D.Backward{T}"/> of checked spans in <paramref name="parts"/> parts.</summary>
    public static void Backward(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> dx, int batch, in WindowGeometry g, Activation previousActivation, ReadOnlySpan<T> previousSaved, int parts)
    {
        var work = t_work ??= new PoolingParts<T>();
        fixed (T* pdy = dy, px = x, pdx = dx, ps = previousSaved)
        {
            work._dy = pdy;
            work._x = px;
            work._dx = pdx;
            work._saved = ps;
            (work._batch, work._geometry, work._previousActivation, work._backward) = (batch, g, previousActivation, true);
            work.Run(parts);
        }
    }

    /// <inheritdoc/>
    public void Execute(int part, int partCount)
    {
        var g = _geometry;
        var (first, end) = StepParallel.Range(_batch, part, partCount);
        var samples = end - first;
        var pooled = g.Channels * g.OutputPlane;
        var x = new ReadOnlySpan<T>(_x + ((nint)first * g.InputSize), samples * g.InputSize);
        if (!_backward)
        {
            MaxPool2D.ForwardSamples(x, new Span<T>(_y + ((nint)first * pooled), samples * pooled), samples, g);
            return;
        }

        var saved = _saved is null ? default : new ReadOnlySpan<T>(_saved + ((nint)first * g.InputSize), samples * g.InputSize);
        var dy = new ReadOnlySpan<T>(_dy + ((nint)first * pooled), samples * pooled);
        MaxPool2D.BackwardSamples(dy, x, new Span<T>(_dx + ((nint)first * g.InputSize), samples * g.InputSize), samples, g, _previousActivation, saved);
    }

    private void Run(int parts)
    {
        try
        {
            StepParallel.Run(this, parts);
        }
        finally
        {
            // The pointers were pinned only for this run.
            _dy = _x = _y = _dx = _saved = null;
        }
    }
}
