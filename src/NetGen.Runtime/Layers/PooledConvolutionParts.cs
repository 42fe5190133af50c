using System;
using System.Numerics;
using NetGen.Kernels;
using NetGen.Kernels.Threading;

namespace NetGen;

/// <summary>
/// <see cref="PooledConvolution"/>'s passes split over the batch as <see cref="ConvolutionParts{T}"/>
/// splits <see cref="Conv2D"/>'s: each part takes whole <see cref="SampleGroups"/>, each group's
/// weight and bias gradient goes to its own partial, and a second run adds the partials pairwise.
/// One instance per thread and element type is reused.
/// </summary>
internal sealed unsafe class PooledConvolutionParts<T> : IParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static PooledConvolutionParts<T>? t_work;

    private T* _x, _weight, _bias, _y, _dy, _dx, _saved, _weightGradient, _biasGradient, _partials;
    private int* _positions;
    private int _batch, _filters, _biasLength, _weightLength;
    private WindowGeometry _geometry, _pool;
    private Activation _previousActivation;
    private bool _accumulate, _direct, _winogradWeights;
    private Phase _phase;

    private enum Phase
    {
        Forward,
        Backward,
        SumPartials,
    }

    /// <summary><see cref="PooledConvolution.Forward{T}"/> of checked spans in <paramref name="parts"/> parts.</summary>
    public static void Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<int> positions, int batch, in WindowGeometry g, int filters, in WindowGeometry pool, bool direct, int parts)
    {
        var work = t_work ??= new PooledConvolutionParts<T>();
        fixed (T* px = x, pw = weight, pb = bias, py = y)
        fixed (int* pp = positions)
        {
            work._x = px;
            work._weight = pw;
            work._bias = pb;
            work._y = py;
            work._positions = pp;
            (work._batch, work._geometry, work._filters, work._pool, work._biasLength, work._direct) = (batch, g, filters, pool, bias.Length, direct);
            try
            {
                work.Run(Phase.Forward, parts);
            }
            finally
            {
                work.Unpin();
            }
        }
    }

    /// <summary><see cref="PooledConvolution.Backward{T}"/> of checked spans in <paramref name="parts"/> parts.</summary>
    public static void Backward(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, ReadOnlySpan<int> positions, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> weightGradient, Span<T> biasGradient, Span<T> dx, int batch, in WindowGeometry g, int filters, in WindowGeometry pool, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool accumulate, bool direct, bool winogradWeights, int parts)
    {
        var work = t_work ??= new PooledConvolutionParts<T>();
        var weightLength = weightGradient.IsEmpty ? 0 : filters * g.PatchSize;
        var biasLength = biasGradient.IsEmpty ? 0 : filters;
        var groups = SampleGroups.Count(batch);
        var partials = ThreadScratch<ScratchPurpose.GroupPartials, T>.Rent(groups * (weightLength + biasLength));
        fixed (T* pdy = dy, py = y, px = x, pw = weight, pwg = weightGradient, pbg = biasGradient, pdx = dx, ps = previousSaved, pp = partials)
        fixed (int* pi = positions)
        {
            work._dy = pdy;
            work._y = py;
            work._positions = pi;
            work._x = px;
            work._weight = pw;
            work._weightGradient = pwg;
            work._biasGradient = pbg;
            work._dx = pdx;
            work._saved = ps;
            work._partials = pp;
            (work._batch, work._geometry, work._filters, work._pool, work._previousActivation, work._accumulate, work._direct, work._winogradWeights) = (batch, g, filters, pool, previousActivation, accumulate, direct, winogradWeights);
            (work._weightLength, work._biasLength) = (weightLength, biasLength);
            try
            {
                work.Run(Phase.Backward, parts);
                var stride = weightLength + biasLength;
                if (stride > 0)
                {
                    work.Run(Phase.SumPartials, StepParallel.Parts(stride, groups));
                }
            }
            finally
            {
                work.Unpin();
            }
        }
    }

    /// <inheritdoc/>
    public void Execute(int part, int partCount)
    {
        var stride = _weightLength + _biasLength;
        if (_phase == Phase.SumPartials)
        {
            var (start, end) = StepParallel.Range(stride, part, partCount);
            var groups = SampleGroups.Count(_batch);
            SampleGroups.Sum(new Span<T>(_partials, groups * stride), groups, stride, start, end, new Span<T>(_weightGradient, _weightLength), new Span<T>(_biasGradient, _biasLength), _accumulate);
            return;
        }

        var g = _geometry;
        var pooledSize = _filters * _pool.OutputPlane;
        var (firstGroup, endGroup) = StepParallel.Range(SampleGroups.Count(_batch), part, partCount);
        var weight = new ReadOnlySpan<T>(_weight, _filters * g.PatchSize);
        for (var group = firstGroup; group < endGroup; group++)
        {
            var (first, samples) = SampleGroups.Samples(group, _batch);
            var x = new ReadOnlySpan<T>(_x + ((nint)first * g.InputSize), samples * g.InputSize);
            var y = new Span<T>(_y + ((nint)first * pooledSize), samples * pooledSize);
            var positions = new Span<int>(_positions + ((nint)first * pooledSize), samples * pooledSize);
            if (_phase == Phase.Forward)
            {
                PooledConvolution.ForwardGroup(x, weight, new ReadOnlySpan<T>(_bias, _biasLength), y, positions, samples, g, _filters, _pool, _direct);
                continue;
            }

            var partial = new Span<T>(_partials + ((nint)group * stride), stride);
            var dx = _dx is null ? default : new Span<T>(_dx + ((nint)first * g.InputSize), samples * g.InputSize);
            var dy = new ReadOnlySpan<T>(_dy + ((nint)first * pooledSize), samples * pooledSize);
            if (_winogradWeights)
            {
                if (stride > 0)
                {
                    WinogradWeightGradient.Group<T>(dy, y, positions, x, partial[.._weightLength], partial[_weightLength..], samples, g, _filters);
                }

                if (!dx.IsEmpty)
                {
                    PooledConvolution.BackwardGroup<T>(dy, y, positions, x, weight, default, default, dx, samples, g, _filters, _pool, direct: false);
                }
            }
            else
            {
                PooledConvolution.BackwardGroup<T>(dy, y, positions, x, weight, partial[.._weightLength], partial[_weightLength..], dx, samples, g, _filters, _pool, _direct);
            }

            if (!dx.IsEmpty && _previousActivation != Activation.None)
            {
                Activations.Backward(_previousActivation, dx, new ReadOnlySpan<T>(_saved + ((nint)first * g.InputSize), samples * g.InputSize), samples, g.InputSize);
            }
        }
    }

    private void Run(Phase phase, int parts)
    {
        _phase = phase;
        StepParallel.Run(this, parts);
    }

    /// <summary>Forgets the pointers, which were pinned only for the pass.</summary>
    private void Unpin()
    {
        _x = _weight = _bias = _y = _dy = _dx = _saved = _weightGradient = _biasGradient = _partials = null;
        _positions = null;
    }
}
