using System;
using NetGen.Kernels.Threading;

namespace NetGen.Optimizers;

public abstract partial class Optimizer
{
    // Parts start on whole blocks of this many floats, so each part's vector body and scalar tail
    // cover the same elements as one call over the whole range would (every update is elementwise).
    private const int PartAlignment = 64;

    private UpdateParts? updateParts;

    /// <summary>
    /// <see cref="Update"/> over a contiguous range, split into parts on the worker pool when it is
    /// long enough: each element is updated by the same formula whichever part owns it, so the
    /// result does not depend on the thread count.
    /// </summary>
    private unsafe void UpdateInParts(Span<float> parameters, ReadOnlySpan<float> gradients, int offset)
    {
        var parts = StepParallel.Parts((parameters.Length + PartAlignment - 1) / PartAlignment, PartAlignment);
        if (parts == 1)
        {
            Update(parameters, gradients, offset);
            return;
        }

        var work = updateParts ??= new UpdateParts(this);
        fixed (float* p = parameters, g = gradients)
        {
            work.Set(p, g, parameters.Length, offset);
            try
            {
                StepParallel.Run(work, parts);
            }
            finally
            {
                work.Set(null, null, 0, 0);
            }
        }
    }

    /// <summary>One range's update in parts; reused, so a step allocates nothing.</summary>
    private sealed unsafe class UpdateParts(Optimizer optimizer) : IParallelWork
    {
        private float* _parameters, _gradients;
        private int _length, _offset;

        public void Set(float* parameters, float* gradients, int length, int offset)
        {
            _parameters = parameters;
            _gradients = gradients;
            (_length, _offset) = (length, offset);
        }

        public void Execute(int part, int partCount)
        {
            var (start, end) = StepParallel.Range(_length, part, partCount, PartAlignment);
            optimizer.Update(new Span<float>(_parameters + start, end - start), new ReadOnlySpan<float>(_gradients + start, end - start), _offset + start);
        }
    }
}
