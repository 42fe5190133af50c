using System;
using System.Numerics;
using System.Numerics.Tensors;
using NetGen.Kernels;
using NetGen.Kernels.Threading;

namespace NetGen;

/// <summary>
/// A convolution's batch cut into groups of whole samples that run on different cores
/// (<c>sampleGroups</c> of <see cref="Conv2D.Forward{T}"/>): each group does its own im2col,
/// products and col2im on its own scratch, so the cores hand nothing to each other inside the
/// layer. The weight gradient is a sum over samples: each group writes its partial sum to its own
/// slice of a scratch buffer and the partials are added in group order afterwards, so the result
/// depends on the group count, not on which core ran which group. One instance per thread and
/// element type is reused, so a step allocates nothing once the scratch has grown.
/// </summary>
internal sealed unsafe class ConvolutionGroups<T> : IParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [ThreadStatic]
    private static ConvolutionGroups<T>? t_work;

    [ThreadStatic]
    private static T[]? t_partials;

    private T* _x, _weight, _bias, _target, _dz, _partials, _dx, _previousSaved;
    private int _xLength, _weightLength, _biasLength, _targetLength, _dzLength, _dxLength, _savedLength;
    private int _batch, _groups, _filters;
    private WindowGeometry _geometry;
    private Activation _activation;
    private bool _backward;

    /// <summary>The forward pass of <paramref name="batch"/> samples in <paramref name="groups"/> groups (<paramref name="fused"/>: the epilogue's activation).</summary>
    public static void Forward(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> target, int batch, int groups, in WindowGeometry g, int filters, Activation fused)
    {
        var work = t_work ??= new ConvolutionGroups<T>();
        fixed (T* px = x, pw = weight, pb = bias, pt = target)
        {
            work.Set(batch, groups, g, filters, fused, backward: false);
            work._x = px;
            work._weight = pw;
            work._bias = pb;
            work._target = pt;
            (work._xLength, work._weightLength, work._biasLength, work._targetLength) = (x.Length, weight.Length, bias.Length, target.Length);
            work.RunGroups();
        }
    }

    /// <summary>The backward pass (without the bias gradient) of <paramref name="batch"/> samples in <paramref name="groups"/> groups.</summary>
    public static void Backward(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> weightGradient, bool accumulate, Span<T> dx, int batch, int groups, in WindowGeometry g, int filters, Activation previousActivation, ReadOnlySpan<T> previousSaved)
    {
        var work = t_work ??= new ConvolutionGroups<T>();
        var perGroup = weightGradient.IsEmpty ? 0 : filters * g.PatchSize;
        if ((t_partials?.Length ?? 0) < groups * perGroup)
        {
            t_partials = new T[groups * perGroup];
        }

        var partials = t_partials.AsSpan(0, groups * perGroup);
        fixed (T* pdz = dz, px = x, pw = weight, pp = partials, pdx = dx, ps = previousSaved)
        {
            work.Set(batch, groups, g, filters, previousActivation, backward: true);
            work._dz = pdz;
            work._x = px;
            work._weight = pw;
            work._partials = pp;
            work._dx = pdx;
            work._previousSaved = ps;
            // _targetLength is each group's share of the partials.
            (work._dzLength, work._xLength, work._weightLength, work._targetLength, work._dxLength, work._savedLength) = (dz.Length, x.Length, weight.Length, perGroup, dx.Length, previousSaved.Length);
            work.RunGroups();
        }

        if (perGroup == 0)
        {
            return;
        }

        // Σ over groups in group order: the same sum whichever cores ran the groups.
        var sum = weightGradient[..perGroup];
        if (accumulate)
        {
            TensorPrimitives.Add(sum, partials[..perGroup], sum);
        }
        else
        {
            partials[..perGroup].CopyTo(sum);
        }

        for (var group = 1; group < groups; group++)
        {
            TensorPrimitives.Add(sum, partials.Slice(group * perGroup, perGroup), sum);
        }
    }

    /// <inheritdoc/>
    public void Execute(int part, int partCount)
    {
        var (firstGroup, endGroup) = StepParallel.Range(_groups, part, partCount);
        for (var group = firstGroup; group < endGroup; group++)
        {
            var (first, end) = StepParallel.Range(_batch, group, _groups);
            if (_backward)
            {
                var partial = new Span<T>(_partials + ((nint)group * _targetLength), _targetLength);
                Conv2D.BackwardSamples(Read(_dz, _dzLength), Read(_x, _xLength), Read(_weight, _weightLength), partial, false, new Span<T>(_dx, _dxLength), first, end - first, _geometry, _filters, _activation, Read(_previousSaved, _savedLength));
            }
            else
            {
                Conv2D.ForwardSamples(Read(_x, _xLength), Read(_weight, _weightLength), Read(_bias, _biasLength), new Span<T>(_target, _targetLength), first, end - first, _geometry, _filters, _activation);
            }
        }
    }

    private static ReadOnlySpan<T> Read(T* pointer, int length) => new(pointer, length);

    private void Set(int batch, int groups, in WindowGeometry g, int filters, Activation activation, bool backward) =>
        (_batch, _groups, _geometry, _filters, _activation, _backward) = (batch, groups, g, filters, activation, backward);

    private void RunGroups()
    {
        try
        {
            // A group is whole samples' products: always worth a core.
            StepParallel.Run(this, Math.Min(_groups, Gemm.MaxThreads));
        }
        finally
        {
            // The pointers were pinned only for this run.
            _x = _weight = _bias = _target = _dz = _partials = _dx = _previousSaved = null;
        }
    }
}
