using System;
using System.Numerics;
using NetGen.Kernels;
using NetGen.Kernels.Threading;

namespace NetGen;

/// <summary>
/// A convolution's passes split over the batch: each part takes whole <see cref="SampleGroups"/>
/// (their im2col, products and col2im on its own thread, its products running alone), writes its
/// samples' outputs or input gradients, and each group's weight and bias gradient into its own
/// partial. A second run adds the partials pairwise, split over the elements. Every value is thus
/// computed the same way for any number of parts. One instance per thread and element type is reused.
/// </summary>
internal sealed unsafe class ConvolutionParts<T> : IParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static ConvolutionParts<T>? t_work;

    private T* _x, _weight, _bias, _y, _preActivation, _dz, _dx, _saved, _weightGradient, _biasGradient, _partials;
    private int _batch, _filters, _biasLength, _weightLength;
    private WindowGeometry _geometry;
    private Activation _activation;
    private bool _accumulate, _direct;
    private Phase _phase;

    private enum Phase
    {
        Forward,
        Backward,
        SumPartials,
    }

    /// <summary><see cref="Conv2D.Forward{T}"/> of checked spans in <paramref name="parts"/> parts.</summary>
    public static void Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<T> preActivation, int batch, in WindowGeometry g, int filters, Activation activation, bool direct, int parts)
    {
        var work = t_work ??= new ConvolutionParts<T>();
        fixed (T* px = x, pw = weight, pb = bias, py = y, pp = preActivation)
        {
            work._x = px;
            work._weight = pw;
            work._bias = pb;
            work._y = py;
            work._preActivation = pp;
            (work._batch, work._geometry, work._filters, work._activation, work._biasLength, work._direct) = (batch, g, filters, activation, bias.Length, direct);
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

    /// <summary><see cref="Conv2D.Backward{T}"/> of checked spans in <paramref name="parts"/> parts.</summary>
    public static void Backward(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> weightGradient, Span<T> biasGradient, Span<T> dx, int batch, in WindowGeometry g, int filters, Activation previousActivation, ReadOnlySpan<T> previousSaved, bool accumulate, bool direct, int parts)
    {
        var work = t_work ??= new ConvolutionParts<T>();
        var weightLength = weightGradient.IsEmpty ? 0 : filters * g.PatchSize;
        var biasLength = biasGradient.IsEmpty ? 0 : filters;
        var groups = SampleGroups.Count(batch);
        var partials = ThreadScratch<ScratchPurpose.GroupPartials, T>.Rent(groups * (weightLength + biasLength));
        fixed (T* pdz = dz, px = x, pw = weight, pwg = weightGradient, pbg = biasGradient, pdx = dx, ps = previousSaved, pp = partials)
        {
            work._dz = pdz;
            work._x = px;
            work._weight = pw;
            work._weightGradient = pwg;
            work._biasGradient = pbg;
            work._dx = pdx;
            work._saved = ps;
            work._partials = pp;
            (work._batch, work._geometry, work._filters, work._activation, work._accumulate, work._direct) = (batch, g, filters, previousActivation, accumulate, direct);
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
        if (_phase == Phase.SumPartials)
        {
            SumPartials(part, partCount);
            return;
        }

        var g = _geometry;
        var outputSize = _filters * g.OutputPlane;
        var (firstGroup, endGroup) = StepParallel.Range(SampleGroups.Count(_batch), part, partCount);
        var weight = new ReadOnlySpan<T>(_weight, _filters * g.PatchSize);
        for (var group = firstGroup; group < endGroup; group++)
        {
            var (first, samples) = SampleGroups.Samples(group, _batch);
            var x = new ReadOnlySpan<T>(_x + ((nint)first * g.InputSize), samples * g.InputSize);
            if (_phase == Phase.Forward)
            {
                var savesPreActivation = Activations.SavesPreActivation(_activation);
                var preActivation = savesPreActivation ? new Span<T>(_preActivation + ((nint)first * outputSize), samples * outputSize) : default;
                Conv2D.ForwardGroup(x, weight, new ReadOnlySpan<T>(_bias, _biasLength), new Span<T>(_y + ((nint)first * outputSize), samples * outputSize), preActivation, samples, g, _filters, _activation, _direct);
                continue;
            }

            var stride = _weightLength + _biasLength;
            var partial = new Span<T>(_partials + ((nint)group * stride), stride);
            var dx = _dx is null ? default : new Span<T>(_dx + ((nint)first * g.InputSize), samples * g.InputSize);
            Conv2D.BackwardGroup(new ReadOnlySpan<T>(_dz + ((nint)first * outputSize), samples * outputSize), x, weight, partial[.._weightLength], partial[_weightLength..], dx, samples, g, _filters, _direct);
            if (!dx.IsEmpty && _activation != Activation.None)
            {
                Activations.Backward(_activation, dx, new ReadOnlySpan<T>(_saved + ((nint)first * g.InputSize), samples * g.InputSize), samples, g.InputSize);
            }
        }
    }

    /// <summary>Adds the groups' partials over this part's elements and writes (or adds) them to the gradients.</summary>
    private void SumPartials(int part, int partCount)
    {
        var stride = _weightLength + _biasLength;
        var (start, end) = StepParallel.Range(stride, part, partCount);
        var partials = new Span<T>(_partials, SampleGroups.Count(_batch) * stride);
        SampleGroups.Sum(partials, SampleGroups.Count(_batch), stride, start, end, new Span<T>(_weightGradient, _weightLength), new Span<T>(_biasGradient, _biasLength), _accumulate);
    }

    private void Run(Phase phase, int parts)
    {
        _phase = phase;
        StepParallel.Run(this, parts);
    }

    /// <summary>Forgets the pointers, which were pinned only for the pass.</summary>
    private void Unpin() => _x = _weight = _bias = _y = _preActivation = _dz = _dx = _saved = _weightGradient = _biasGradient = _partials = null;
}
